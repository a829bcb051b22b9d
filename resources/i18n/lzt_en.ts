<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>AttributeTable</name>
        <message>
            <source>筛选表达式（CQL2）</source>
            <extracomment>the table selects at most this many runs of consecutive rows, around the rows in view (the first selected row, then where the user scrolls); the rest stay selected on the map. Each run is a range of two persistent indexes that Qt tracks and tests each painted cell against: with 10,000 runs the district's 372k selection cost 80-90 ms of GUI time a layer switch layers whose ids (and first pages, filter example) the table keeps while the layer does not change (``_content_key``): switching back to one reads nothing (on the district, reading a million ids again was a worker's full scan beside the switch, 0.1-0.2 s of a shared CPU) a selection of more ids than this reaches the table in the next turn of the event loop (the map answers the click first, and each part of the work is a gap of its own)</extracomment>
            <translation>Filter expression (CQL2)</translation>
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
            <source>图层内容已更新，原筛选条件不再适用，已清除</source>
            <translation>The layer has changed; the previous filter no longer applies and was cleared</translation>
        </message>
        <message>
            <source>部分行读取失败（{0}），滚动表格可重试</source>
            <translation>Some rows could not be read ({0}); scroll the table to try again</translation>
        </message>
        <message>
            <source>筛选表达式，如 {0}</source>
            <translation>Filter expression, e.g. {0}</translation>
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
        <name>BimImport</name>
        <message>
            <source>导入 BIM 模型</source>
            <translation>Import BIM models</translation>
        </message>
        <message>
            <source>已导入 {0} 个模型，未定位 {1} 个，失败 {2} 个。</source>
            <translation>Imported {0} models; {1} not placed, {2} failed.</translation>
        </message>
        <message>
            <source>指定位置后重试…</source>
            <translation>Set the position and retry…</translation>
        </message>
        <message>
            <source>这些模型自带的位置在工作空间范围之外（常见于 Revit 默认项目地点）。请输入或在地图上点选原点，指定的位置将覆盖模型自带的定位。</source>
            <translation>These models place themselves outside the workspace (common with Revit's default project location). Enter an origin or pick it on the map; it overrides the models' own placement.</translation>
        </message>
    </context>
    <context>
        <name>BimPlacementDialog</name>
        <message>
            <source>导入 BIM 模型</source>
            <translation>Import BIM models</translation>
        </message>
        <message>
            <source>{0} 个文件或文件夹：{1}</source>
            <translation>{0} files or folders: {1}</translation>
        </message>
        <message>
            <source>按模型文件自带的地理参照定位</source>
            <translation>Place by the model files' own georeferencing</translation>
        </message>
        <message>
            <source>指定位置（覆盖模型文件自带的定位）</source>
            <translation>Set the position (overrides the model files' own placement)</translation>
        </message>
        <message>
            <source>可选，默认 0</source>
            <translation>optional, default 0</translation>
        </message>
        <message>
            <source>在地图上点选…</source>
            <translation>Pick on the map…</translation>
        </message>
        <message>
            <source>原点 X, Y</source>
            <translation>Origin X, Y</translation>
        </message>
        <message>
            <source>原点高程 Z</source>
            <translation>Origin elevation Z</translation>
        </message>
        <message>
            <source>旋转（模型 x 轴自正东逆时针）</source>
            <translation>Rotation (model x axis, counter-clockwise from east)</translation>
        </message>
        <message>
            <source>坐标系</source>
            <translation>Coordinate system</translation>
        </message>
        <message>
            <source>原点</source>
            <translation>Origin</translation>
        </message>
        <message>
            <source>请输入数字坐标 X、Y（Z 可选）</source>
            <translation>Enter numeric coordinates X, Y (Z optional)</translation>
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
        <name>CrashReport</name>
        <message>
            <source>操作未完成，出现意外错误：{0}</source>
            <extracomment>the log is cut back to its newest half beyond this size</extracomment>
            <translation>The operation did not finish: an unexpected error occurred: {0}</translation>
        </message>
        <message>
            <source>详细信息已记录在 {0}，请提供给技术支持。</source>
            <translation>The details are recorded in {0}; please send them to technical support.</translation>
        </message>
        <message>
            <source>意外错误</source>
            <translation>Unexpected error</translation>
        </message>
    </context>
    <context>
        <name>CrsNoticeDialog</name>
        <message>
            <source>坐标系提示</source>
            <translation>Coordinate system notice</translation>
        </message>
        <message>
            <source>以下数据的经纬度看来不是按导入时的坐标系记录的。lzt 没有自行纠偏：数据已按原样导入。</source>
            <translation>The longitudes and latitudes of the data below do not appear to be in the coordinate system they were imported as. lzt has not corrected them: the data was imported as it is.</translation>
        </message>
        <message>
            <source>各自判断的坐标系</source>
            <translation>Coordinate system judged for each</translation>
        </message>
        <message>
            <source>应用：按 {0} 重新导入</source>
            <translation>Apply: re-import as {0}</translation>
        </message>
        <message>
            <source>保持原样</source>
            <translation>Keep as it is</translation>
        </message>
        <message>
            <source>判断为</source>
            <translation>judged to be</translation>
        </message>
        <message>
            <source>看来是</source>
            <translation>appears to be</translation>
        </message>
        <message>
            <source>可能是</source>
            <translation>may be</translation>
        </message>
        <message>
            <source>&lt;b&gt;{0}&lt;/b&gt; → 图层 {1}：{2} {3}，已按 {4} 导入</source>
            <translation>&lt;b&gt;{0}&lt;/b&gt; → layer {1}: {2} {3}, imported as {4}</translation>
        </message>
        <message>
            <source>，位置约偏 {0:.0f} m</source>
            <translation>, positions off by about {0:.0f} m</translation>
        </message>
        <message>
            <source>与工作空间图层 {0} 比对：按 {1} 残差 {2:.1f} m，按 {3} {4}</source>
            <translation>Compared with workspace layer {0}: residual {2:.1f} m as {1}, {4} as {3}</translation>
        </message>
        <message>
            <source>超过 {0:g} m</source>
            <translation>over {0:g} m</translation>
        </message>
        <message>
            <source>依据：</source>
            <translation>Evidence:</translation>
        </message>
        <message>
            <source>按判断的坐标系重新导入</source>
            <translation>Re-import in the judged coordinate system</translation>
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
            <source>苗头预警</source>
            <translation>Early warnings</translation>
        </message>
        <message>
            <source>生成简报…</source>
            <translation>Make briefing…</translation>
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
            <source>已导出栅格 {0} 到 {1}（{2}，{3}）</source>
            <translation>Exported raster {0} to {1} ({2}, {3})</translation>
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
        <name>HeightLimits</name>
        <message>
            <source>控高核对</source>
            <translation>Height-limit check</translation>
        </message>
        <message>
            <source>工作空间没有控高分区图层（height_limits，含 height_limit_m 字段）</source>
            <translation>The workspace has no height-limit zone layer (height_limits, with a height_limit_m field)</translation>
        </message>
        <message>
            <source>控高分区内 {0} 栋：</source>
            <translation>{0} structures in height-limit zones:</translation>
        </message>
        <message>
            <source>超限最多的：</source>
            <translation>Most over the limit:</translation>
        </message>
        <message>
            <source>超限的建筑与 BIM 模型已在地图上选中。</source>
            <translation>The buildings and BIM models over the limit are selected on the map.</translation>
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
        <name>ImageryCompare</name>
        <message>
            <source>在地图上卷帘对比</source>
            <translation>Swipe on the map</translation>
        </message>
        <message>
            <source>没有覆盖本宗地的两期影像（导入影像时需标注拍摄日期）</source>
            <translation>No two dated images cover this parcel (give the acquisition date when importing imagery)</translation>
        </message>
        <message>
            <source>前</source>
            <translation>Before</translation>
        </message>
        <message>
            <source>后</source>
            <translation>After</translation>
        </message>
        <message>
            <source>绘制中…</source>
            <translation>Drawing…</translation>
        </message>
        <message>
            <source>红线为宗地红线；“前”为开工前最近一期影像，“后”为最新一期影像。</source>
            <translation>Red line: the parcel boundary; "Before" is the latest image before construction began, "After" the newest image.</translation>
        </message>
        <message>
            <source>“{0}”影像无法绘制（{1}）</source>
            <translation>Imagery "{0}" could not be drawn ({1})</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>BIM 模型</source>
            <translation>BIM models</translation>
        </message>
        <message>
            <source>点</source>
            <extracomment>layer kinds -&gt; their Chinese names (``layers.kinds``; listed for the .ts by ``catalogue``)</extracomment>
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
            <translation>Terrain</translation>
        </message>
        <message>
            <source>底图</source>
            <translation>Base map</translation>
        </message>
        <message>
            <source>下载</source>
            <extracomment>the steps long work reports through ``Feedback.progress`` (a step, optionally followed by a name)</extracomment>
            <translation>Download</translation>
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
            <source>栅格</source>
            <translation>Raster</translation>
        </message>
        <message>
            <source>矢量</source>
            <translation>Vector</translation>
        </message>
        <message>
            <source>矢量服务</source>
            <translation>vector service</translation>
        </message>
        <message>
            <source>批后监管</source>
            <translation>Supervision</translation>
        </message>
        <message>
            <source>分析结果</source>
            <translation>Analysis result</translation>
        </message>
        <message>
            <source>民生诉求</source>
            <translation>Complaints</translation>
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
            <source>工作空间中的图层</source>
            <translation>Layers in the workspace</translation>
        </message>
        <message>
            <source>把工作空间中的图层放回地图</source>
            <translation>Put a workspace layer back on the map</translation>
        </message>
        <message>
            <source>不透明度</source>
            <translation>Opacity</translation>
        </message>
        <message>
            <source>地图服务</source>
            <translation>map service</translation>
        </message>
        <message>
            <source>删除服务</source>
            <translation>Delete service</translation>
        </message>
        <message>
            <source>从工作空间删除服务 {0}？
它将从地图和工作空间的服务列表中移除；服务器上的数据不受影响。</source>
            <translation>Delete the service {0} from the workspace?
It will be removed from the map and from the workspace's list of services; the data on the server is not affected.</translation>
        </message>
        <message>
            <source>（工作空间的图层都在地图上）</source>
            <translation>(all workspace layers are on the map)</translation>
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
            <source>重新连接服务</source>
            <translation>Reconnect service</translation>
        </message>
        <message>
            <source>从工作空间删除服务…</source>
            <translation>Delete service from workspace…</translation>
        </message>
        <message>
            <source>正在连接</source>
            <translation>Connecting</translation>
        </message>
        <message>
            <source>不可用</source>
            <translation>Unavailable</translation>
        </message>
        <message>
            <source>{0} × {1} 像元，{2} 米</source>
            <translation>{0} × {1} cells, {2} m</translation>
        </message>
        <message>
            <source>{0} × {1} 像元</source>
            <translation>{0} × {1} cells</translation>
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
            <extracomment>the start-up imports (``lzt.gui.warmup``) begin this long after the window is built at the latest, even if the map has no picture yet</extracomment>
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
            <source>预警</source>
            <translation>Warnings</translation>
        </message>
        <message>
            <source>搜索结果</source>
            <translation>Search results</translation>
        </message>
        <message>
            <source>卷帘对比</source>
            <translation>Swipe</translation>
        </message>
        <message>
            <source>联动视图</source>
            <translation>Linked view</translation>
        </message>
        <message>
            <source>纵断面</source>
            <translation>Profile</translation>
        </message>
        <message>
            <source>服务 {0} 不可用：{1}</source>
            <translation>Service {0} is unavailable: {1}</translation>
        </message>
        <message>
            <source>比例尺</source>
            <translation>Scale</translation>
        </message>
        <message>
            <source>绘制 {0} ms</source>
            <translation>Drawn in {0} ms</translation>
        </message>
        <message numerus="yes">
            <source>已选择 %Ln 个要素（{0}）</source>
            <translation>
                <numerusform>%Ln feature selected ({0})</numerusform>
                <numerusform>%Ln features selected ({0})</numerusform>
            </translation>
        </message>
        <message>
            <source>无法识别的比例尺“{0}”，请输入如 1:2000 或 1:1万</source>
            <translation>Unrecognised scale "{0}"; enter e.g. 1:2000 or 1:10000</translation>
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
            <source>添加矢量要素服务…</source>
            <translation>Add vector feature service…</translation>
        </message>
        <message>
            <source>添加地图/瓦片服务（天地图、WMTS、WMS、XYZ）…</source>
            <translation>Add map/tile service (Tianditu, WMTS, WMS, XYZ)…</translation>
        </message>
        <message>
            <source>下载服务图层到工作空间…</source>
            <translation>Download service layer to workspace…</translation>
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
            <source>剖面（画线看纵断面）</source>
            <translation>Profile (draw a line to see the profile)</translation>
        </message>
        <message>
            <source>卷帘对比…</source>
            <translation>Swipe…</translation>
        </message>
        <message>
            <source>联动视图（多屏联动）</source>
            <translation>Linked view (synchronised maps)</translation>
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
            <source>搜索</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>搜索地点或提问</source>
            <translation>Search places or ask a question</translation>
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
            <source>苗头预警</source>
            <translation>Early warnings</translation>
        </message>
        <message>
            <source>控高核对</source>
            <translation>Height-limit check</translation>
        </message>
        <message>
            <source>纵断面（在地图上画线）</source>
            <translation>Profile (draw a line on the map)</translation>
        </message>
        <message>
            <source>生成简报…</source>
            <translation>Make briefing…</translation>
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
            <source>{0}：图层无法绘制（{1}）</source>
            <extracomment>a one-line report from a layer (e.g. a raster service's failed tiles), once</extracomment>
            <translation>{0}: the layer cannot be drawn ({1})</translation>
        </message>
        <message>
            <source>地图绘制失败（{0}）</source>
            <translation>The map could not be drawn ({0})</translation>
        </message>
        <message>
            <source>，详细信息已记录在 {0}</source>
            <translation>; details were written to {0}</translation>
        </message>
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
        <name>OrderImport</name>
        <message>
            <source>“{0}”作为民生诉求导入图层 {1}，共 {2} 条工单</source>
            <extracomment>levels in the order they are reported, finest first</extracomment>
            <translation>“{0}” imported as complaint layer {1}: {2} work orders</translation>
        </message>
        <message>
            <source>按地址定位 {0} 条（{1}）</source>
            <translation>{0} placed by address ({1})</translation>
        </message>
        <message>
            <source>{0} 条仅有社区，放在社区中心点</source>
            <translation>{0} with only a community, placed at its centroid</translation>
        </message>
        <message>
            <source>{0} 条既无坐标也无法按地址定位，未上图（如 {1}）</source>
            <translation>{0} have no coordinates and no address that could be placed; not on the map (e.g. {1})</translation>
        </message>
        <message>
            <source>民生诉求导入</source>
            <translation>Complaint import</translation>
        </message>
    </context>
    <context>
        <name>ProfilePanel</name>
        <message>
            <source>用工具栏的“剖面”在地图上画一条线（双击或右键结束）</source>
            <translation>Draw a line on the map with the toolbar's "Profile" tool (double-click or right-click to finish)</translation>
        </message>
        <message>
            <source>导出…</source>
            <translation>Export…</translation>
        </message>
        <message>
            <source>计算纵断面</source>
            <translation>Computing the profile</translation>
        </message>
        <message>
            <source>地面 {0} – {1} 米</source>
            <translation>ground {0} – {1} m</translation>
        </message>
        <message>
            <source>沿线没有地面高程数据</source>
            <translation>No ground elevation data along the line</translation>
        </message>
        <message>
            <source>全长 {0} 米；{1}；穿过 {2} 栋建筑</source>
            <translation>Length {0} m; {1}; crosses {2} buildings</translation>
        </message>
        <message>
            <source>，最高顶部 {0} 米（{1}）</source>
            <translation>, highest top {0} m ({1})</translation>
        </message>
        <message>
            <source>；控高区 {0}</source>
            <translation>; height-limit zones {0}</translation>
        </message>
        <message>
            <source>距起点 {0} 米</source>
            <translation>{0} m from the start</translation>
        </message>
        <message>
            <source>，地面 {0} 米</source>
            <translation>, ground {0} m</translation>
        </message>
        <message>
            <source>，无地面高程</source>
            <translation>, no ground elevation</translation>
        </message>
        <message>
            <source>，{0} 高 {1} 米</source>
            <translation>, {0} {1} m high</translation>
        </message>
        <message>
            <source>导出纵断面</source>
            <translation>Export profile</translation>
        </message>
        <message>
            <source>PDF (*.pdf);;PNG (*.png);;SVG (*.svg)</source>
            <translation>PDF (*.pdf);;PNG (*.png);;SVG (*.svg)</translation>
        </message>
        <message>
            <source>纵断面（全长 {0} 米）</source>
            <translation>Profile (length {0} m)</translation>
        </message>
    </context>
    <context>
        <name>ProfilePlot</name>
        <message>
            <source>控高</source>
            <translation>Height limit</translation>
        </message>
        <message>
            <source>距离（米）</source>
            <translation>Distance (m)</translation>
        </message>
        <message>
            <source>高程（米）</source>
            <translation>Elevation (m)</translation>
        </message>
        <message>
            <source>地面</source>
            <translation>Ground</translation>
        </message>
        <message>
            <source>建筑</source>
            <translation>Buildings</translation>
        </message>
        <message>
            <source>BIM 模型</source>
            <translation>BIM models</translation>
        </message>
        <message>
            <source>高程方向放大 {0} 倍</source>
            <translation>Vertical exaggeration ×{0}</translation>
        </message>
        <message>
            <source>沿线没有地面高程数据</source>
            <translation>No ground elevation along the line</translation>
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
        <name>RasterServiceDialog</name>
        <message>
            <source>添加地图/瓦片服务</source>
            <translation>Add map/tile service</translation>
        </message>
        <message>
            <source>天地图</source>
            <translation>Tianditu</translation>
        </message>
        <message>
            <source>XYZ / TMS 瓦片模板</source>
            <translation>XYZ / TMS tile template</translation>
        </message>
        <message>
            <source>可留空（自动选择）</source>
            <translation>may be left empty (chosen automatically)</translation>
        </message>
        <message>
            <source>WGS84 / CGCS2000（无偏移）</source>
            <translation>WGS84 / CGCS2000 (no offset)</translation>
        </message>
        <message>
            <source>GCJ-02（高德、腾讯）</source>
            <translation>GCJ-02 (Amap, Tencent)</translation>
        </message>
        <message>
            <source>BD-09（百度）</source>
            <translation>BD-09 (Baidu)</translation>
        </message>
        <message>
            <source>保存密钥的环境变量名，如 TIANDITU_TOKEN（密钥本身不会保存）</source>
            <translation>Name of the environment variable holding the key, e.g. TIANDITU_TOKEN (the key itself is never saved)</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>地址</source>
            <translation>URL</translation>
        </message>
        <message>
            <source>图层</source>
            <translation>Layer</translation>
        </message>
        <message>
            <source>瓦片矩阵集</source>
            <translation>Tile matrix set</translation>
        </message>
        <message>
            <source>坐标</source>
            <translation>Coordinates</translation>
        </message>
        <message>
            <source>密钥变量</source>
            <translation>Key variable</translation>
        </message>
        <message>
            <source>名称</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>经纬度 CGCS2000</source>
            <translation>Lon/lat CGCS2000</translation>
        </message>
        <message>
            <source>球面墨卡托</source>
            <translation>Web Mercator</translation>
        </message>
        <message>
            <source>天地图影像</source>
            <translation>Tianditu imagery</translation>
        </message>
        <message>
            <source>请给图层一个未被使用的名称。</source>
            <extracomment>the strings keep the raster dialog's translation context (both dialogs had them)</extracomment>
            <translation>Give the layer a name that is not in use.</translation>
        </message>
        <message>
            <source>名称 {0} 已被使用。</source>
            <translation>The name {0} is in use.</translation>
        </message>
        <message>
            <source>请填写服务地址。</source>
            <translation>Enter the service URL.</translation>
        </message>
        <message>
            <source>连接服务</source>
            <translation>Connect to service</translation>
        </message>
    </context>
    <context>
        <name>Screenshot</name>
        <message>
            <source>已保存截图 {0}</source>
            <translation>Screenshot saved: {0}</translation>
        </message>
    </context>
    <context>
        <name>SearchBox</name>
        <message>
            <source>搜索地点或提问，如：龙城街道 / 今年各街道噪声投诉多少？</source>
            <extracomment>half the width of the view a point place is shown in (metres) places listed at most a top result this sure (and ahead of the next) is flown to at once</extracomment>
            <translation>Search a place, an address or ask a question in Chinese (e.g. how many noise complaints per street this year)</translation>
        </message>
    </context>
    <context>
        <name>SearchPanel</name>
        <message>
            <source>保存为图层</source>
            <translation>Save as layer</translation>
        </message>
        <message>
            <source>导出</source>
            <translation>Export</translation>
        </message>
        <message>
            <source>请输入地点名称、地址或问题</source>
            <translation>Enter a place name, an address or a question</translation>
        </message>
        <message>
            <source>搜索</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>已取消</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>地点搜索：“{0}”</source>
            <translation>Place search: "{0}"</translation>
        </message>
        <message>
            <source>没有找到相符的地点</source>
            <translation>No matching place found</translation>
        </message>
        <message>
            <source>显示最相符的 {0} 个地点，请加上街道或社区缩小范围（双击一行在地图上定位）</source>
            <translation>Showing the {0} best matches; add a street or community to narrow it (double-click a row to locate it)</translation>
        </message>
        <message>
            <source>找到 {0} 个地点（双击一行在地图上定位）</source>
            <translation>Found {0} places (double-click a row to locate it)</translation>
        </message>
        <message>
            <source>名称</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>级别</source>
            <translation>Level</translation>
        </message>
        <message>
            <source>所在街道/社区</source>
            <translation>Street/community</translation>
        </message>
        <message>
            <source>图层</source>
            <translation>Layer</translation>
        </message>
        <message>
            <source>匹配度</source>
            <translation>Match</translation>
        </message>
        <message>
            <source>（无）</source>
            <translation>(none)</translation>
        </message>
        <message>
            <source>问数：“{0}”</source>
            <translation>Question: "{0}"</translation>
        </message>
        <message>
            <source>理解为：{0}</source>
            <translation>Read as: {0}</translation>
        </message>
        <message>
            <source>执行的查询：{0}</source>
            <translation>Query run: {0}</translation>
        </message>
        <message>
            <source>数据范围：{0} 至 {1}</source>
            <translation>Data range: {0} to {1}</translation>
        </message>
        <message>
            <source>没有可保存为图层的要素</source>
            <translation>No features to save as a layer</translation>
        </message>
        <message>
            <source>搜索结果</source>
            <translation>Search results</translation>
        </message>
        <message>
            <source>问数结果</source>
            <translation>Answer</translation>
        </message>
        <message>
            <source>图层名称</source>
            <translation>Layer name</translation>
        </message>
        <message>
            <source>已保存为图层“{0}”</source>
            <translation>Saved as layer "{0}"</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Query</translation>
        </message>
        <message>
            <source>回答</source>
            <translation>Answer</translation>
        </message>
        <message>
            <source>执行的查询</source>
            <translation>Query run</translation>
        </message>
        <message>
            <source>无法写入 {0}：{1}</source>
            <translation>Cannot write {0}: {1}</translation>
        </message>
        <message>
            <source>已导出到 {0}</source>
            <translation>Exported to {0}</translation>
        </message>
        <message>
            <source>分组</source>
            <translation>Group</translation>
        </message>
        <message>
            <source>数量</source>
            <translation>Count</translation>
        </message>
        <message>
            <source>占比</source>
            <translation>Share</translation>
        </message>
        <message>
            <source>数值</source>
            <translation>Value</translation>
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
            <source>附纵断面（地图上最近画的剖面线）</source>
            <translation>Add the profile (the last profile line drawn on the map)</translation>
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
            <source>民生诉求时间窗：{0} 至 {1}</source>
            <translation>Complaints time window: {0} to {1}</translation>
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
        <message>
            <source>统计类别</source>
            <translation>Counting categories</translation>
        </message>
    </context>
    <context>
        <name>SunBar</name>
        <message>
            <source>日照分析</source>
            <translation>Sunlight analysis</translation>
        </message>
        <message>
            <source>按日照标准计算视图中心周围住宅立面（或选中的 BIM 模型作为拟建方案时，其遮挡的相邻建筑）的日照时数</source>
            <translation>Compute sunlight hours by the standard on the residential façades around the view centre (or, with a BIM model selected as the proposal, on the neighbours it shades)</translation>
        </message>
        <message>
            <source>显示拟建方案</source>
            <translation>Show the proposal</translation>
        </message>
        <message>
            <source>关闭：没有拟建方案时的日照（方案前）；打开：有方案时（方案后）</source>
            <translation>Off: sunlight without the proposal (before); on: with it (after)</translation>
        </message>
        <message>
            <source>阴影：拖动时间滑块</source>
            <translation>Shadows: drag the time slider</translation>
        </message>
        <message>
            <source>真太阳时</source>
            <translation>True solar time</translation>
        </message>
        <message>
            <source>{0}，太阳高度角 {1}°，方位角 {2}°</source>
            <translation>{0}, sun altitude {1}°, azimuth {2}°</translation>
        </message>
    </context>
    <context>
        <name>SupervisionBench</name>
        <message>
            <source>全部结论</source>
            <extracomment>the parcel list's columns, left to right: what a supervisor scans first comes first</extracomment>
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
            <source>已加入待保存：{0}；点击“保存”写入工作空间</source>
            <translation>Added to pending: {0}; click "Save" to write it to the workspace</translation>
        </message>
        <message>
            <source>已撤销：{0}</source>
            <translation>Undone: {0}</translation>
        </message>
        <message>
            <source>已放弃宗地 {0} 的 {1} 条待保存记录（可撤销）</source>
            <translation>Discarded {1} pending records of parcel {0} (can be undone)</translation>
        </message>
        <message>
            <source>已恢复宗地 {0} 的待保存记录</source>
            <translation>Restored the pending records of parcel {0}</translation>
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
            <source>影像对比</source>
            <translation>Imagery compare</translation>
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
            <source>保存冲突：他人已修改此宗地</source>
            <translation>Save conflict: someone else changed this parcel</translation>
        </message>
        <message>
            <source>项目</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>您读取时</source>
            <translation>When you read it</translation>
        </message>
        <message>
            <source>他人保存后（当前）</source>
            <translation>As saved by the other (current)</translation>
        </message>
        <message>
            <source>您的待保存</source>
            <translation>Your pending changes</translation>
        </message>
        <message>
            <source>在当前版本上重新应用我的记录并保存</source>
            <translation>Re-apply my records to the current version and save</translation>
        </message>
        <message>
            <source>放弃我的记录</source>
            <translation>Discard my records</translation>
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
            <source>正在读取附近诉求…</source>
            <translation>Reading nearby complaints…</translation>
        </message>
        <message>
            <source>读取附近诉求失败：{0}</source>
            <translation>Nearby complaints could not be read: {0}</translation>
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
            <source>宗地 {0} 刚被他人修改，页面已更新为当前状态；请核对后再加入待保存</source>
            <translation>Parcel {0} was just changed by someone else; the page now shows its current state. Check it before adding to pending.</translation>
        </message>
        <message>
            <source>（待保存 {0} 条）</source>
            <translation>({0} pending)</translation>
        </message>
        <message>
            <source>（没有待保存的记录）</source>
            <translation>(nothing pending)</translation>
        </message>
        <message>
            <source>；宗地 {0} 的记录未保存，见下方冲突</source>
            <translation>; the records of parcel {0} were not saved, see the conflict below</translation>
        </message>
        <message>
            <source>版本</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>他人新增核查</source>
            <translation>Inspection added by the other</translation>
        </message>
        <message>
            <source>，录入人 {0}，{1}</source>
            <translation>, entered by {0}, {1}</translation>
        </message>
        <message>
            <source>您的核查</source>
            <translation>Your inspection</translation>
        </message>
        <message>
            <source>宗地 {0} 在您读取后已被{1}修改并保存（您读取的是第 {2} 版，当前为第 {3} 版），您的 {4} 条记录尚未保存。页面已更新为当前状态。</source>
            <translation>Parcel {0} was changed and saved by {1} after you read it (you read version {2}, the current is version {3}); your {4} records are not saved. The page now shows the current state.</translation>
        </message>
        <message>
            <source>他人</source>
            <translation>someone else</translation>
        </message>
        <message>
            <source>注意：对方已将状态改为“{0}”，重新应用将改为“{1}”。</source>
            <translation>Note: the other changed the status to "{0}"; re-applying changes it to "{1}".</translation>
        </message>
        <message>
            <source>宗地 {0} 的记录未保存：他人已修改此宗地，请选择重新应用或放弃</source>
            <translation>The records of parcel {0} are not saved: someone else changed this parcel; re-apply or discard them</translation>
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
        <name>SwipePanel</name>
        <message>
            <source>开启卷帘</source>
            <translation>Swipe on</translation>
        </message>
        <message>
            <source>左侧图层</source>
            <translation>Left layer</translation>
        </message>
        <message>
            <source>右侧图层</source>
            <translation>Right layer</translation>
        </message>
    </context>
    <context>
        <name>VectorServiceDialog</name>
        <message>
            <source>添加矢量服务</source>
            <translation>Add vector service</translation>
        </message>
        <message>
            <source>连接</source>
            <translation>Connect</translation>
        </message>
        <message>
            <source>WGS84 / CGCS2000（无偏移）</source>
            <translation>WGS84 / CGCS2000 (no offset)</translation>
        </message>
        <message>
            <source>GCJ-02（高德、腾讯）</source>
            <translation>GCJ-02 (Amap, Tencent)</translation>
        </message>
        <message>
            <source>BD-09（百度）</source>
            <translation>BD-09 (Baidu)</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>地址</source>
            <translation>URL</translation>
        </message>
        <message>
            <source>图层</source>
            <translation>Layer</translation>
        </message>
        <message>
            <source>名称</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>坐标</source>
            <translation>Coordinates</translation>
        </message>
        <message>
            <source>连接服务</source>
            <translation>Connect to service</translation>
        </message>
        <message>
            <source>该服务没有可读取的要素图层。</source>
            <translation>The service has no feature layer that can be read.</translation>
        </message>
        <message>
            <source>下载到工作空间</source>
            <translation>Download to workspace</translation>
        </message>
        <message>
            <source>当前图层不是矢量服务图层。</source>
            <translation>The current layer is not a vector service layer.</translation>
        </message>
        <message>
            <source>服务 {0} 尚未连接：{1}</source>
            <translation>Service {0} is not connected yet: {1}</translation>
        </message>
        <message>
            <source>正在连接</source>
            <translation>Connecting</translation>
        </message>
        <message>
            <source>将服务图层 {0} 下载为工作空间图层：</source>
            <translation>Download service layer {0} as a workspace layer:</translation>
        </message>
        <message>
            <source>当前视图范围</source>
            <translation>The current view</translation>
        </message>
        <message>
            <source>全部要素</source>
            <translation>All features</translation>
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
        <message>
            <source>近景底图未生成：{0}</source>
            <translation>Close-up base map not made: {0}</translation>
        </message>
        <message>
            <source>日照分析</source>
            <translation>Sunlight analysis</translation>
        </message>
        <message>
            <source>拟建方案 {0}：遮挡 {1} 栋相邻住宅，其中 {2} 栋由达标变为不达标</source>
            <translation>Proposal {0}: shades {1} neighbouring residential buildings, {2} of them from passing to failing</translation>
        </message>
        <message>
            <source>日照分析：{0} 栋住宅，{1} 栋不达标</source>
            <translation>Sunlight analysis: {0} residential buildings, {1} failing</translation>
        </message>
        <message>
            <source>日照分析：此范围内没有需分析的住宅</source>
            <translation>Sunlight analysis: no residential buildings to analyse here</translation>
        </message>
        <message>
            <source>日照时数（{0}日，标准 ≥ {1} 小时）</source>
            <translation>Sunlight hours ({0}, rule ≥ {1} h)</translation>
        </message>
        <message>
            <source> · 方案后</source>
            <translation> · after</translation>
        </message>
        <message>
            <source> · 方案前</source>
            <translation> · before</translation>
        </message>
        <message>
            <source>（不达标）</source>
            <translation>(failing)</translation>
        </message>
    </context>
    <context>
        <name>WarningsPanel</name>
        <message>
            <source>周</source>
            <translation>Week</translation>
        </message>
        <message>
            <source>月</source>
            <translation>Month</translation>
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
            <source>截至</source>
            <translation>As of</translation>
        </message>
        <message>
            <source>生成预警</source>
            <translation>Run warnings</translation>
        </message>
        <message>
            <source>尚未生成</source>
            <translation>Not run yet</translation>
        </message>
        <message>
            <source>工作空间中没有民生诉求图层</source>
            <translation>The workspace has no complaints layer</translation>
        </message>
        <message>
            <source>级别</source>
            <translation>Level</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>类别</source>
            <translation>Category</translation>
        </message>
        <message>
            <source>位置</source>
            <translation>Location</translation>
        </message>
        <message>
            <source>首次出现</source>
            <translation>First seen</translation>
        </message>
        <message>
            <source>依据</source>
            <translation>Evidence</translation>
        </message>
        <message>
            <source>周期</source>
            <translation>Period</translation>
        </message>
        <message>
            <source>分类</source>
            <translation>Classification</translation>
        </message>
        <message>
            <source>格网</source>
            <translation>Grid</translation>
        </message>
        <message>
            <source>苗头预警</source>
            <translation>Early warnings</translation>
        </message>
        <message>
            <source>{0}：预警 {1} 条（红 {2}、橙 {3}、黄 {4}）</source>
            <translation>{0}: {1} warnings (red {2}, orange {3}, yellow {4})</translation>
        </message>
        <message>
            <source>保存简报</source>
            <translation>Save briefing</translation>
        </message>
        <message>
            <source>生成简报</source>
            <translation>Make briefing</translation>
        </message>
    </context>
    <context>
        <name>values</name>
        <message>
            <source>是</source>
            <extracomment>China Standard Time (no daylight saving since 1991).</extracomment>
            <translation>Yes</translation>
        </message>
        <message>
            <source>否</source>
            <translation>No</translation>
        </message>
    </context>
</TS>
