<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>AttributeTable</name>
        <message>
            <source>筛选表达式，如 category = '学校' AND 面积 &gt; 1000</source>
            <translation>Filter expression (CQL2), e.g. category = '学校'</translation>
        </message>
        <message>
            <source>缩放到所选</source>
            <translation>Zoom to selection</translation>
        </message>
        <message>
            <source>图层</source>
            <translation>Layers</translation>
        </message>
        <message>
            <source>筛选表达式</source>
            <translation>Filter expression</translation>
        </message>
        <message>
            <source>排序</source>
            <translation>Sorting</translation>
        </message>
        <message>
            <source>筛选</source>
            <translation>Filtering</translation>
        </message>
        <message>
            <source>读取要素</source>
            <translation>Reading features</translation>
        </message>
        <message>
            <source>{0} / {1} 条</source>
            <translation>{0} / {1} rows</translation>
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <source>（无数据）</source>
            <translation>(no data)</translation>
        </message>
        <message>
            <source>最大 {0}</source>
            <translation>max {0}</translation>
        </message>
    </context>
    <context>
        <name>ColourButton</name>
        <message>
            <source>无</source>
            <translation>none</translation>
        </message>
    </context>
    <context>
        <name>Dashboard</name>
        <message>
            <source>全部</source>
            <translation>All</translation>
        </message>
        <message>
            <source>1 个月</source>
            <translation>1 month</translation>
        </message>
        <message>
            <source>3 个月</source>
            <translation>3 months</translation>
        </message>
        <message>
            <source>6 个月</source>
            <translation>6 months</translation>
        </message>
        <message>
            <source>12 个月</source>
            <translation>12 months</translation>
        </message>
        <message>
            <source>生成热点图层</source>
            <translation>Make hotspot layer</translation>
        </message>
        <message>
            <source>按一级分类</source>
            <translation>By category</translation>
        </message>
        <message>
            <source>按月</source>
            <translation>By month</translation>
        </message>
        <message>
            <source>按街道</source>
            <translation>By street</translation>
        </message>
        <message>
            <source>诉求最多的 10 个社区</source>
            <translation>Top 10 communities by complaints</translation>
        </message>
        <message>
            <source>时间窗</source>
            <translation>Time window</translation>
        </message>
        <message>
            <source>热点格网</source>
            <translation>Hotspot grid</translation>
        </message>
        <message>
            <source>工作空间中没有民生诉求图层</source>
            <translation>The workspace has no complaint layer</translation>
        </message>
        <message>
            <source>全部时间</source>
            <translation>All time</translation>
        </message>
        <message>
            <source>正在统计…</source>
            <translation>Counting…</translation>
        </message>
        <message>
            <source>统计失败：</source>
            <translation>Counting failed: </translation>
        </message>
        <message>
            <source>民生诉求 {0} 件</source>
            <translation>{0} complaints</translation>
        </message>
        <message>
            <source>（{0} 至 {1}）</source>
            <translation> ({0} to {1})</translation>
        </message>
        <message>
            <source>计算格网</source>
            <translation>Computing the grid</translation>
        </message>
        <message>
            <source>写入图层</source>
            <translation>Writing the layer</translation>
        </message>
        <message>
            <source>热点分析</source>
            <translation>Hotspot analysis</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>导出图层 {0}</source>
            <translation>Export layer {0}</translation>
        </message>
        <message>
            <source>浏览…</source>
            <translation>Browse…</translation>
        </message>
        <message>
            <source>仅导出所选要素（{0} 个）</source>
            <translation>Only the selected features ({0})</translation>
        </message>
        <message>
            <source>可选：属性条件（CQL2）</source>
            <translation>Optional: attribute condition (CQL2)</translation>
        </message>
        <message>
            <source>不脱敏导出个人信息（将写入审计日志）</source>
            <translation>Export personal data unmasked (written to the audit log)</translation>
        </message>
        <message>
            <source>文件</source>
            <translation>File</translation>
        </message>
        <message>
            <source>格式</source>
            <translation>Format</translation>
        </message>
        <message>
            <source>条件</source>
            <translation>Condition</translation>
        </message>
        <message>
            <source>坐标系</source>
            <translation>CRS</translation>
        </message>
        <message>
            <source>导出到</source>
            <translation>Export to</translation>
        </message>
        <message>
            <source>读取要素</source>
            <translation>Reading features</translation>
        </message>
        <message>
            <source>写入文件</source>
            <translation>Writing the file</translation>
        </message>
        <message>
            <source>导出数据</source>
            <translation>Export data</translation>
        </message>
        <message>
            <source>已导出 {0} 个要素到 {1}</source>
            <translation>Exported {0} features to {1}</translation>
        </message>
        <message>
            <source>；Shapefile 字段名已缩短：</source>
            <translation>; Shapefile field names shortened: </translation>
        </message>
        <message>
            <source>保存宗地核查报告</source>
            <translation>Save the parcel inspection report</translation>
        </message>
        <message>
            <source>{0}_核查报告.pdf</source>
            <translation>{0}_inspection_report.pdf</translation>
        </message>
        <message>
            <source>生成核查报告</source>
            <translation>Making the inspection report</translation>
        </message>
    </context>
    <context>
        <name>IdentifyPanel</name>
        <message>
            <source>用识别工具点击地图上的要素</source>
            <translation>Click a feature on the map with the identify tool</translation>
        </message>
        <message>
            <source>字段</source>
            <translation>Field</translation>
        </message>
        <message>
            <source>值</source>
            <translation>Value</translation>
        </message>
        <message>
            <source>坐标</source>
            <translation>Coordinates</translation>
        </message>
        <message>
            <source>面积 (m²)</source>
            <translation>Area (m²)</translation>
        </message>
        <message>
            <source>长度 (m)</source>
            <translation>Length (m)</translation>
        </message>
        <message>
            <source>范围</source>
            <translation>Extent</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>栅格</source>
            <translation>Raster</translation>
        </message>
        <message>
            <source>矢量</source>
            <translation>Vector</translation>
        </message>
        <message>
            <source>民生诉求</source>
            <translation>Complaints</translation>
        </message>
        <message>
            <source>批后监管</source>
            <translation>Supervision</translation>
        </message>
        <message>
            <source>BIM 模型</source>
            <translation>BIM models</translation>
        </message>
        <message>
            <source>分析结果</source>
            <translation>Analysis result</translation>
        </message>
        <message>
            <source>点</source>
            <translation>point</translation>
        </message>
        <message>
            <source>多点</source>
            <translation>multipoint</translation>
        </message>
        <message>
            <source>线</source>
            <translation>line</translation>
        </message>
        <message>
            <source>多线</source>
            <translation>multiline</translation>
        </message>
        <message>
            <source>面</source>
            <translation>polygon</translation>
        </message>
        <message>
            <source>多面</source>
            <translation>multipolygon</translation>
        </message>
        <message>
            <source>地形</source>
            <extracomment>the steps long work reports through ``Feedback.progress`` (a step, optionally followed by a name)</extracomment>
            <translation>Terrain</translation>
        </message>
        <message>
            <source>底图</source>
            <translation>Base map</translation>
        </message>
        <message>
            <source>建筑白模</source>
            <translation>Extruded buildings</translation>
        </message>
        <message>
            <source>完成</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>核查</source>
            <translation>Checking</translation>
        </message>
        <message>
            <source>排版</source>
            <translation>Laying out</translation>
        </message>
        <message>
            <source>报告完成</source>
            <translation>Report done</translation>
        </message>
        <message>
            <source>图集</source>
            <translation>Atlas</translation>
        </message>
        <message>
            <source>出图</source>
            <translation>Drawing the map</translation>
        </message>
        <message>
            <source>编码几何</source>
            <translation>Encoding geometry</translation>
        </message>
        <message>
            <source>建立空间索引</source>
            <translation>Building the spatial index</translation>
        </message>
        <message>
            <source>写入要素</source>
            <translation>Writing features</translation>
        </message>
        <message>
            <source>复制图层</source>
            <translation>Copying layer</translation>
        </message>
        <message>
            <source>提交</source>
            <translation>Committing</translation>
        </message>
        <message>
            <source>写入工作空间</source>
            <translation>Writing the workspace</translation>
        </message>
        <message>
            <source>导入模型</source>
            <translation>Importing model</translation>
        </message>
        <message>
            <source>读取</source>
            <translation>Reading</translation>
        </message>
        <message>
            <source>检查宗地</source>
            <translation>Checking parcels</translation>
        </message>
        <message>
            <source>检查完成</source>
            <translation>Checks done</translation>
        </message>
        <message>
            <source>工单编号</source>
            <translation>Order no.</translation>
        </message>
        <message>
            <source>诉求时间</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>来源渠道</source>
            <translation>Channel</translation>
        </message>
        <message>
            <source>诉求类型</source>
            <translation>Appeal type</translation>
        </message>
        <message>
            <source>一级分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <source>二级分类</source>
            <translation>Subcategory</translation>
        </message>
        <message>
            <source>三级分类</source>
            <translation>Sub-subcategory</translation>
        </message>
        <message>
            <source>街道</source>
            <translation>Street</translation>
        </message>
        <message>
            <source>社区</source>
            <translation>Community</translation>
        </message>
        <message>
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <source>诉求内容</source>
            <translation>Content</translation>
        </message>
        <message>
            <source>承办部门</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>处理状态</source>
            <translation>Handling status</translation>
        </message>
        <message>
            <source>办结时间</source>
            <translation>Closed</translation>
        </message>
        <message>
            <source>满意度</source>
            <translation>Satisfaction</translation>
        </message>
        <message>
            <source>诉求人</source>
            <translation>Citizen</translation>
        </message>
        <message>
            <source>联系电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <source>证件号码</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>宗地编号</source>
            <translation>Parcel no.</translation>
        </message>
        <message>
            <source>合同编号</source>
            <translation>Contract no.</translation>
        </message>
        <message>
            <source>受让人</source>
            <translation>Holder</translation>
        </message>
        <message>
            <source>项目名称</source>
            <translation>Project</translation>
        </message>
        <message>
            <source>用地性质</source>
            <translation>Land use</translation>
        </message>
        <message>
            <source>面积</source>
            <translation>Area</translation>
        </message>
        <message>
            <source>合同签订日期</source>
            <translation>Contract signed</translation>
        </message>
        <message>
            <source>合同约定开工日期</source>
            <translation>Agreed start</translation>
        </message>
        <message>
            <source>合同约定竣工日期</source>
            <translation>Agreed completion</translation>
        </message>
        <message>
            <source>实际开工日期</source>
            <translation>Actual start</translation>
        </message>
        <message>
            <source>实际竣工日期</source>
            <translation>Actual completion</translation>
        </message>
        <message>
            <source>停工日期</source>
            <translation>Stopped on</translation>
        </message>
        <message>
            <source>延误原因</source>
            <translation>Cause of delay</translation>
        </message>
        <message>
            <source>容积率上限</source>
            <translation>FAR maximum</translation>
        </message>
        <message>
            <source>容积率下限</source>
            <translation>FAR minimum</translation>
        </message>
        <message>
            <source>建筑密度上限(%)</source>
            <translation>Coverage maximum (%)</translation>
        </message>
        <message>
            <source>绿地率下限(%)</source>
            <translation>Green ratio minimum (%)</translation>
        </message>
        <message>
            <source>建筑限高(米)</source>
            <translation>Height limit (m)</translation>
        </message>
        <message>
            <source>退线距离(米)</source>
            <translation>Setback (m)</translation>
        </message>
        <message>
            <source>分边退线</source>
            <translation>Setbacks per side</translation>
        </message>
        <message>
            <source>投资额(万元)</source>
            <translation>Investment (10k yuan)</translation>
        </message>
        <message>
            <source>已投资额(万元)</source>
            <translation>Invested (10k yuan)</translation>
        </message>
        <message>
            <source>已开发面积</source>
            <translation>Developed area</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>版本</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>闲置土地</source>
            <translation>Idle land</translation>
        </message>
        <message>
            <source>逾期竣工</source>
            <translation>Overdue completion</translation>
        </message>
        <message>
            <source>容积率</source>
            <translation>FAR</translation>
        </message>
        <message>
            <source>建筑密度</source>
            <translation>Coverage</translation>
        </message>
        <message>
            <source>建筑限高</source>
            <translation>Height limit</translation>
        </message>
        <message>
            <source>退线</source>
            <translation>Setback</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Pass</translation>
        </message>
        <message>
            <source>预警</source>
            <translation>Warning</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Fail</translation>
        </message>
        <message>
            <source>无数据</source>
            <translation>No data</translation>
        </message>
        <message>
            <source>未动工</source>
            <translation>Not started</translation>
        </message>
        <message>
            <source>已动工</source>
            <translation>Started</translation>
        </message>
        <message>
            <source>在建</source>
            <translation>Under construction</translation>
        </message>
        <message>
            <source>停工</source>
            <translation>Stopped</translation>
        </message>
        <message>
            <source>已竣工</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>疑似闲置</source>
            <translation>Suspected idle</translation>
        </message>
        <message>
            <source>违规建设</source>
            <translation>Illegal construction</translation>
        </message>
        <message>
            <source>正常</source>
            <translation>Normal</translation>
        </message>
        <message>
            <source>其他</source>
            <translation>Other</translation>
        </message>
        <message>
            <source>未开工</source>
            <translation>Not started</translation>
        </message>
        <message>
            <source>已处置</source>
            <translation>Disposed of</translation>
        </message>
        <message>
            <source>高程 (米)</source>
            <translation>Elevation (m)</translation>
        </message>
        <message>
            <source>建筑高度 (米)</source>
            <translation>Building height (m)</translation>
        </message>
    </context>
    <context>
        <name>LayerPanel</name>
        <message>
            <source>添加图层</source>
            <translation>Add layers</translation>
        </message>
        <message>
            <source>上移</source>
            <translation>Move up</translation>
        </message>
        <message>
            <source>下移</source>
            <translation>Move down</translation>
        </message>
        <message>
            <source>从地图移除</source>
            <translation>Remove from map</translation>
        </message>
        <message>
            <source>不透明度</source>
            <translation>Opacity</translation>
        </message>
        <message>
            <source>空间数据</source>
            <translation>Spatial data</translation>
        </message>
        <message>
            <source>所有文件</source>
            <translation>All files</translation>
        </message>
        <message>
            <source>缩放到图层</source>
            <translation>Zoom to layer</translation>
        </message>
        <message>
            <source>打开属性表</source>
            <translation>Open attribute table</translation>
        </message>
        <message>
            <source>样式…</source>
            <translation>Style…</translation>
        </message>
        <message>
            <source>缩放到所选要素</source>
            <translation>Zoom to selected features</translation>
        </message>
        <message>
            <source>…… 共 {0} 类</source>
            <translation>… {0} classes in all</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>龙政图 lzt — {0}</source>
            <translation>lzt — {0}</translation>
        </message>
        <message>
            <source>地图</source>
            <translation>Map</translation>
        </message>
        <message>
            <source>批后监管</source>
            <translation>Supervision</translation>
        </message>
        <message>
            <source>民意看板</source>
            <translation>Complaint dashboard</translation>
        </message>
        <message>
            <source>三维</source>
            <translation>3D</translation>
        </message>
        <message>
            <source>图层</source>
            <translation>Layers</translation>
        </message>
        <message>
            <source>属性表</source>
            <translation>Attribute table</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Query</translation>
        </message>
        <message>
            <source>识别</source>
            <translation>Identify</translation>
        </message>
        <message>
            <source>比例尺</source>
            <translation>Scale</translation>
        </message>
        <message>
            <source>绘制 {0} ms</source>
            <translation>Drawn in {0} ms</translation>
        </message>
        <message>
            <source>已选择 {0} 个要素（{1}）</source>
            <translation>{0} features selected ({1})</translation>
        </message>
        <message>
            <source>文件(&amp;F)</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>打开工作空间…</source>
            <translation>Open workspace…</translation>
        </message>
        <message>
            <source>打开共享工作空间（PostGIS）…</source>
            <translation>Open shared workspace (PostGIS)…</translation>
        </message>
        <message>
            <source>最近的工作空间</source>
            <translation>Recent workspaces</translation>
        </message>
        <message>
            <source>添加图层…</source>
            <translation>Add layers…</translation>
        </message>
        <message>
            <source>导入 BIM 模型文件夹…</source>
            <translation>Import BIM model folder…</translation>
        </message>
        <message>
            <source>导出当前图层…</source>
            <translation>Export current layer…</translation>
        </message>
        <message>
            <source>导出地图…</source>
            <translation>Export map…</translation>
        </message>
        <message>
            <source>导出图集…</source>
            <translation>Export atlas…</translation>
        </message>
        <message>
            <source>退出</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>视图(&amp;V)</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>全图</source>
            <translation>Full extent</translation>
        </message>
        <message>
            <source>缩放到当前图层</source>
            <translation>Zoom to current layer</translation>
        </message>
        <message>
            <source>缩放到所选要素</source>
            <translation>Zoom to selected features</translation>
        </message>
        <message>
            <source>界面语言</source>
            <translation>Language</translation>
        </message>
        <message>
            <source>工具(&amp;T)</source>
            <translation>&amp;Tools</translation>
        </message>
        <message>
            <source>地图工具</source>
            <translation>Map tools</translation>
        </message>
        <message>
            <source>平移</source>
            <translation>Pan</translation>
        </message>
        <message>
            <source>拉框放大</source>
            <translation>Zoom to box</translation>
        </message>
        <message>
            <source>选择（点击或拉框）</source>
            <translation>Select (click or box)</translation>
        </message>
        <message>
            <source>多边形选择</source>
            <translation>Select by polygon</translation>
        </message>
        <message>
            <source>量距离</source>
            <translation>Measure distance</translation>
        </message>
        <message>
            <source>量面积</source>
            <translation>Measure area</translation>
        </message>
        <message>
            <source>放大</source>
            <translation>Zoom in</translation>
        </message>
        <message>
            <source>缩小</source>
            <translation>Zoom out</translation>
        </message>
        <message>
            <source>清除选择</source>
            <translation>Clear selection</translation>
        </message>
        <message>
            <source>分析(&amp;A)</source>
            <translation>&amp;Analysis</translation>
        </message>
        <message>
            <source>空间查询</source>
            <translation>Spatial query</translation>
        </message>
        <message>
            <source>批后监管检查</source>
            <translation>Supervision checks</translation>
        </message>
        <message>
            <source>帮助(&amp;H)</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>关于龙政图</source>
            <translation>About lzt</translation>
        </message>
        <message>
            <source>导入数据</source>
            <translation>Import data</translation>
        </message>
        <message>
            <source>选择 BIM 模型文件夹</source>
            <translation>Choose a BIM model folder</translation>
        </message>
        <message>
            <source>打开工作空间</source>
            <translation>Open workspace</translation>
        </message>
        <message>
            <source>打开共享工作空间</source>
            <translation>Open shared workspace</translation>
        </message>
        <message>
            <source>地址（密码请放在 pg_service.conf 或 PGPASSFILE 中）：</source>
            <translation>URL (keep the password in pg_service.conf or PGPASSFILE):</translation>
        </message>
        <message>
            <source>界面语言将在重新启动后生效。</source>
            <translation>The language changes when lzt starts again.</translation>
        </message>
        <message>
            <source>龙政图 lzt {0}
龙岗区时空信息桌面客户端</source>
            <translation>lzt {0}
Longgang spatial-information desktop client</translation>
        </message>
        <message>
            <source>有任务正在进行，请先等待完成或取消</source>
            <translation>A task is running: wait for it to finish or cancel it first</translation>
        </message>
    </context>
    <context>
        <name>MapCanvas</name>
        <message>
            <source>距离 {0}</source>
            <translation>Distance {0}</translation>
        </message>
        <message>
            <source>面积 {0} m²（{1} 亩）  周长 {2} m</source>
            <translation>Area {0} m² ({1} mu)  perimeter {2} m</translation>
        </message>
    </context>
    <context>
        <name>QProgressDialog</name>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>QueryPanel</name>
        <message>
            <source>无（仅属性）</source>
            <translation>None (attributes only)</translation>
        </message>
        <message>
            <source>相交</source>
            <translation>Intersects</translation>
        </message>
        <message>
            <source>位于其内</source>
            <translation>Within</translation>
        </message>
        <message>
            <source>包含</source>
            <translation>Contains</translation>
        </message>
        <message>
            <source>距离以内</source>
            <translation>Within distance</translation>
        </message>
        <message>
            <source>整个图层</source>
            <translation>Whole layer</translation>
        </message>
        <message>
            <source>所选要素</source>
            <translation>Selected features</translation>
        </message>
        <message>
            <source>对方图层的条件，如 name = '南岭村'</source>
            <translation>Condition on the other layer, e.g. name = '南岭村'</translation>
        </message>
        <message>
            <source>属性条件（CQL2），如 category = '学校'</source>
            <translation>Attribute condition (CQL2), e.g. category = '学校'</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Query</translation>
        </message>
        <message>
            <source>保留为图层…</source>
            <translation>Keep as layer…</translation>
        </message>
        <message>
            <source>导出…</source>
            <translation>Export…</translation>
        </message>
        <message>
            <source>查询图层</source>
            <translation>Query layer</translation>
        </message>
        <message>
            <source>空间关系</source>
            <translation>Spatial relation</translation>
        </message>
        <message>
            <source>对方图层</source>
            <translation>Other layer</translation>
        </message>
        <message>
            <source>范围</source>
            <translation>Extent</translation>
        </message>
        <message>
            <source>对方条件</source>
            <translation>Other condition</translation>
        </message>
        <message>
            <source>距离</source>
            <translation>Distance</translation>
        </message>
        <message>
            <source>属性条件</source>
            <translation>Attribute condition</translation>
        </message>
        <message>
            <source>没有所选要素：请先在地图或属性表中选择</source>
            <translation>No features selected: select some on the map or in the attribute table first</translation>
        </message>
        <message>
            <source>找到 {0} 个要素（图层“{1}”）</source>
            <translation>Found {0} features (layer “{1}”)</translation>
        </message>
        <message>
            <source>保留查询结果</source>
            <translation>Keep query result</translation>
        </message>
        <message>
            <source>图层名称</source>
            <translation>Layer name</translation>
        </message>
        <message>
            <source>已保留为图层“{0}”</source>
            <translation>Kept as layer “{0}”</translation>
        </message>
    </context>
    <context>
        <name>SheetDialog</name>
        <message>
            <source>导出图集</source>
            <translation>Export atlas</translation>
        </message>
        <message>
            <source>导出地图</source>
            <translation>Export map</translation>
        </message>
        <message>
            <source>横向</source>
            <translation>Landscape</translation>
        </message>
        <message>
            <source>按要素范围自动确定比例尺</source>
            <translation>Scale from each feature's extent</translation>
        </message>
        <message>
            <source>龙岗区专题图</source>
            <translation>Longgang thematic map</translation>
        </message>
        <message>
            <source>可选：只为满足条件的要素出图</source>
            <translation>Optional: only features meeting a condition</translation>
        </message>
        <message>
            <source>浏览…</source>
            <translation>Browse…</translation>
        </message>
        <message>
            <source>（预览）</source>
            <translation>(preview)</translation>
        </message>
        <message>
            <source>刷新预览</source>
            <translation>Refresh preview</translation>
        </message>
        <message>
            <source>纸张</source>
            <translation>Paper</translation>
        </message>
        <message>
            <source>比例尺</source>
            <translation>Scale</translation>
        </message>
        <message>
            <source>标题</source>
            <translation>Title</translation>
        </message>
        <message>
            <source>分辨率 (dpi)</source>
            <translation>Resolution (dpi)</translation>
        </message>
        <message>
            <source>分幅图层</source>
            <translation>Coverage layer</translation>
        </message>
        <message>
            <source>条件</source>
            <translation>Condition</translation>
        </message>
        <message>
            <source>输出</source>
            <translation>Output</translation>
        </message>
        <message>
            <source>图集保存为</source>
            <translation>Save atlas as</translation>
        </message>
        <message>
            <source>地图保存为</source>
            <translation>Save map as</translation>
        </message>
        <message>
            <source>正在生成预览…</source>
            <translation>Drawing the preview…</translation>
        </message>
    </context>
    <context>
        <name>StyleEditor</name>
        <message>
            <source>单一符号</source>
            <translation>Single symbol</translation>
        </message>
        <message>
            <source>分类</source>
            <translation>Categorized</translation>
        </message>
        <message>
            <source>分级（面量图）</source>
            <translation>Graduated (choropleth)</translation>
        </message>
        <message>
            <source>连续色带</source>
            <translation>Continuous ramp</translation>
        </message>
        <message>
            <source>热力图（点密度）</source>
            <translation>Heatmap (point density)</translation>
        </message>
        <message>
            <source>栅格色带与山体阴影</source>
            <translation>Raster ramp and hillshade</translation>
        </message>
        <message>
            <source>图层样式 — {0}</source>
            <translation>Layer style — {0}</translation>
        </message>
        <message>
            <source>填充</source>
            <translation>Fill</translation>
        </message>
        <message>
            <source>边线</source>
            <translation>Outline</translation>
        </message>
        <message>
            <source>边线宽 (mm)</source>
            <translation>Outline width (mm)</translation>
        </message>
        <message>
            <source>点大小 (mm)</source>
            <translation>Point size (mm)</translation>
        </message>
        <message>
            <source>值</source>
            <translation>Value</translation>
        </message>
        <message>
            <source>图例</source>
            <translation>Legend</translation>
        </message>
        <message>
            <source>按字段值分类</source>
            <translation>Classify by field values</translation>
        </message>
        <message>
            <source>字段</source>
            <translation>Field</translation>
        </message>
        <message>
            <source>双击颜色可修改</source>
            <translation>Double-click a colour to change it</translation>
        </message>
        <message>
            <source>分位数（每级数量相等）</source>
            <translation>Quantiles (equal counts)</translation>
        </message>
        <message>
            <source>等间距</source>
            <translation>Equal intervals</translation>
        </message>
        <message>
            <source>级数</source>
            <translation>Classes</translation>
        </message>
        <message>
            <source>分级方法</source>
            <translation>Method</translation>
        </message>
        <message>
            <source>低值颜色</source>
            <translation>Low colour</translation>
        </message>
        <message>
            <source>高值颜色</source>
            <translation>High colour</translation>
        </message>
        <message>
            <source>起始值</source>
            <translation>From value</translation>
        </message>
        <message>
            <source>起始颜色</source>
            <translation>From colour</translation>
        </message>
        <message>
            <source>终止值</source>
            <translation>To value</translation>
        </message>
        <message>
            <source>终止颜色</source>
            <translation>To colour</translation>
        </message>
        <message>
            <source>模糊半径 (mm)</source>
            <translation>Blur radius (mm)</translation>
        </message>
        <message>
            <source>叠加山体阴影</source>
            <translation>Hillshade</translation>
        </message>
        <message>
            <source>（不标注）</source>
            <translation>(no labels)</translation>
        </message>
        <message>
            <source>渲染方式</source>
            <translation>Renderer</translation>
        </message>
        <message>
            <source>不透明度 (%)</source>
            <translation>Opacity (%)</translation>
        </message>
        <message>
            <source>最小比例尺分母（0 不限）</source>
            <translation>Hide beyond 1:N (0: no limit)</translation>
        </message>
        <message>
            <source>最大比例尺分母（0 不限）</source>
            <translation>Hide below 1:N (0: no limit)</translation>
        </message>
        <message>
            <source>标注字段</source>
            <translation>Label field</translation>
        </message>
        <message>
            <source>标注字号 (mm)</source>
            <translation>Label size (mm)</translation>
        </message>
        <message>
            <source>绘制顺序</source>
            <translation>Draw order</translation>
        </message>
    </context>
    <context>
        <name>SupervisionBench</name>
        <message>
            <source>全部结论</source>
            <translation>All verdicts</translation>
        </message>
        <message>
            <source>全部规则</source>
            <translation>All rules</translation>
        </message>
        <message>
            <source>宗地编号 / 项目 / 受让人</source>
            <translation>Parcel ID / project / holder</translation>
        </message>
        <message>
            <source>核查日期</source>
            <translation>Inspection date</translation>
        </message>
        <message>
            <source>结论</source>
            <translation>Verdict</translation>
        </message>
        <message>
            <source>规则</source>
            <translation>Rule</translation>
        </message>
        <message>
            <source>范围</source>
            <translation>Extent</translation>
        </message>
        <message>
            <source>出让条件</source>
            <translation>Grant terms</translation>
        </message>
        <message>
            <source>核查结果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>BIM 模型</source>
            <translation>BIM models</translation>
        </message>
        <message>
            <source>周边诉求</source>
            <translation>Nearby complaints</translation>
        </message>
        <message>
            <source>核查记录</source>
            <translation>Inspections</translation>
        </message>
        <message>
            <source>录入核查</source>
            <translation>Record inspection</translation>
        </message>
        <message>
            <source>生成 PDF 报告</source>
            <translation>PDF report</translation>
        </message>
        <message>
            <source>添加照片…</source>
            <translation>Add photos…</translation>
        </message>
        <message>
            <source>（不变）</source>
            <translation>(unchanged)</translation>
        </message>
        <message>
            <source>核查人</source>
            <translation>Inspector</translation>
        </message>
        <message>
            <source>情况说明</source>
            <translation>Notes</translation>
        </message>
        <message>
            <source>照片</source>
            <translation>Photos</translation>
        </message>
        <message>
            <source>宗地编号</source>
            <translation>Parcel no.</translation>
        </message>
        <message>
            <source>项目名称</source>
            <translation>Project</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>问题</source>
            <translation>Problems</translation>
        </message>
        <message>
            <source>数值</source>
            <translation>Value</translation>
        </message>
        <message>
            <source>限值</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>说明</source>
            <translation>Notes</translation>
        </message>
        <message>
            <source>工单编号</source>
            <translation>Order no.</translation>
        </message>
        <message>
            <source>诉求时间</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>一级分类</source>
            <translation>Category</translation>
        </message>
        <message>
            <source>二级分类</source>
            <translation>Subcategory</translation>
        </message>
        <message>
            <source>处理状态</source>
            <translation>Handling status</translation>
        </message>
        <message>
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <source>距离(m)</source>
            <translation>Distance (m)</translation>
        </message>
        <message>
            <source>结果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>录入人</source>
            <translation>Recorded by</translation>
        </message>
        <message>
            <source>录入时间</source>
            <translation>Recorded at</translation>
        </message>
        <message>
            <source>变更状态</source>
            <translation>Change status</translation>
        </message>
        <message>
            <source>加入待保存</source>
            <translation>Add to pending</translation>
        </message>
        <message>
            <source>撤销</source>
            <translation>Undo</translation>
        </message>
        <message>
            <source>重做</source>
            <translation>Redo</translation>
        </message>
        <message>
            <source>保存</source>
            <translation>Save</translation>
        </message>
        <message>
            <source>待保存的核查记录（保存前可撤销）</source>
            <translation>Pending inspections (undoable until saved)</translation>
        </message>
        <message>
            <source>工作空间中没有批后监管图层（用 lzt import --kind supervision 导入）</source>
            <translation>The workspace has no supervision layer (import one with lzt import --kind supervision)</translation>
        </message>
        <message>
            <source>批后监管检查</source>
            <translation>Supervision checks</translation>
        </message>
        <message>
            <source>(预警)</source>
            <translation> (warning)</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>{0} / {1} 宗</source>
            <translation>{0} / {1} parcels</translation>
        </message>
        <message>
            <source>（宗地上没有 BIM 模型）</source>
            <translation>(no BIM model on the parcel)</translation>
        </message>
        <message>
            <source>宗地没有图形</source>
            <translation>The parcel has no geometry</translation>
        </message>
        <message>
            <source>工作空间中没有民生诉求图层</source>
            <translation>The workspace has no complaint layer</translation>
        </message>
        <message>
            <source>共 {0} 件</source>
            <translation>{0} in total</translation>
        </message>
        <message>
            <source>：</source>
            <translation>: </translation>
        </message>
        <message>
            <source>，</source>
            <translation>, </translation>
        </message>
        <message>
            <source>图片</source>
            <translation>Images</translation>
        </message>
        <message>
            <source>所有文件</source>
            <translation>All files</translation>
        </message>
        <message>
            <source>选择照片</source>
            <translation>Choose photos</translation>
        </message>
        <message>
            <source>请先在左侧选择宗地</source>
            <translation>Choose a parcel in the list first</translation>
        </message>
        <message>
            <source>请填写核查人和核查结果</source>
            <translation>Fill in the inspector and the result</translation>
        </message>
        <message>
            <source>已加入待保存；点击“保存”写入工作空间</source>
            <translation>Added to pending; click “Save” to write it to the workspace</translation>
        </message>
        <message>
            <source>保存核查记录</source>
            <translation>Save inspection records</translation>
        </message>
        <message>
            <source>已保存 {0} 条核查记录</source>
            <translation>Saved {0} inspection records</translation>
        </message>
    </context>
    <context>
        <name>View3D</name>
        <message>
            <source>构建三维场景</source>
            <translation>Building the 3D scene</translation>
        </message>
        <message>
            <source>三维场景未构建（已取消或出错）；再次切换到此页可重试</source>
            <translation>The 3D scene was not built (cancelled or failed); switch to this tab again to retry</translation>
        </message>
        <message>
            <source>三维视图不可用：{0}</source>
            <translation>The 3D view is not available: {0}</translation>
        </message>
        <message>
            <source>{0}：高 {1} m，{2} 层，建筑面积 {3} m²</source>
            <translation>{0}: {1} m high, {2} storeys, floor area {3} m²</translation>
        </message>
        <message>
            <source>{0} · fid {1}：高 {2} m（白模）</source>
            <translation>{0} · fid {1}: {2} m high (extruded)</translation>
        </message>
    </context>
</TS>
