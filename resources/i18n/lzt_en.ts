<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AttributeTable</name>
    <message>
        <location filename="../../lzt/gui/panels/attribute_table.py" line="24"/>
        <source>筛选表达式，如 category = &apos;学校&apos; AND 面积 &gt; 1000</source>
        <translation>Filter expression, e.g. category = &apos;学校&apos; AND 面积 &gt; 1000</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/attribute_table.py" line="27"/>
        <source>缩放到所选</source>
        <translation>Zoom to selection</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/attribute_table.py" line="32"/>
        <source>图层</source>
        <translation>Layers</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/attribute_table.py" line="83"/>
        <source>排序</source>
        <translation>Sorting</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/attribute_table.py" line="83"/>
        <source>筛选</source>
        <translation>Filtering</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/attribute_table.py" line="113"/>
        <source>{0} / {1} 条</source>
        <translation>{0} / {1} rows</translation>
    </message>
</context>
<context>
    <name>BimImport</name>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="162"/>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="180"/>
        <source>导入 BIM 模型</source>
        <translation>Import BIM models</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="176"/>
        <source>已导入 {0} 个模型，未定位 {1} 个，失败 {2} 个。</source>
        <translation>{0} models imported, {1} not placed, {2} failed.</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="185"/>
        <source>指定位置后重试…</source>
        <translation>Place and retry…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="192"/>
        <source>这些模型自带的位置在工作空间范围之外（常见于 Revit 默认项目地点）。请输入或在地图上点选原点，指定的位置将覆盖模型自带的定位。</source>
        <translation>These models' own location lies outside the workspace's region (often Revit's default project site). Type the origin or click it on the map; the place you give overrides the models' own location.</translation>
    </message>
</context>
<context>
    <name>BimPlacementDialog</name>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="29"/>
        <source>导入 BIM 模型</source>
        <translation>Import BIM models</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="32"/>
        <source>{0} 个文件或文件夹：{1}</source>
        <translation>{0} files or folders: {1}</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="37"/>
        <source>按模型文件自带的地理参照定位</source>
        <translation>Place by the files' own georeferencing</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="38"/>
        <source>指定位置（覆盖模型文件自带的定位）</source>
        <translation>Place them here (overrides the files' own location)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="43"/>
        <source>可选，默认 0</source>
        <translation>optional, 0 by default</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="44"/>
        <source>在地图上点选…</source>
        <translation>Pick on the map…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="61"/>
        <source>原点 X, Y</source>
        <translation>Origin X, Y</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="62"/>
        <source>原点高程 Z</source>
        <translation>Origin elevation Z</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="63"/>
        <source>旋转（模型 x 轴自正东逆时针）</source>
        <translation>Rotation (model x axis from east, anticlockwise)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="64"/>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="86"/>
        <source>坐标系</source>
        <translation>CRS</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="84"/>
        <source>原点</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/bim_import.py" line="84"/>
        <source>请输入数字坐标 X、Y（Z 可选）</source>
        <translation>Enter numeric coordinates X, Y (Z optional)</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="57"/>
        <source>生成热点图层</source>
        <translation>Make hotspot layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="59"/>
        <source>按一级分类</source>
        <translation>By category</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="60"/>
        <source>按月</source>
        <translation>By month</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="61"/>
        <source>按街道</source>
        <translation>By street</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="62"/>
        <source>诉求最多的 10 个社区</source>
        <translation>Top 10 communities by complaints</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="64"/>
        <source>时间窗</source>
        <translation>Time window</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="69"/>
        <source>热点格网</source>
        <translation>Hotspot grid</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="91"/>
        <source>工作空间中没有民生诉求图层</source>
        <translation>The workspace has no complaint layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="107"/>
        <location filename="../../lzt/gui/panels/dashboard.py" line="150"/>
        <source>全部时间</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="118"/>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="137"/>
        <source>统计失败：</source>
        <translation>Counting failed: </translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="160"/>
        <source>民生诉求 {0} 件</source>
        <translation>{0} complaints</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/dashboard.py" line="203"/>
        <source>热点分析</source>
        <translation>Hotspot analysis</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="30"/>
        <source>导出图层 {0}</source>
        <translation>Export layer {0}</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="32"/>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="41"/>
        <source>仅导出所选要素（{0} 个）</source>
        <translation>Only the selected features ({0})</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="44"/>
        <source>可选：属性条件（CQL2）</source>
        <translation>Optional: attribute condition (CQL2)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="48"/>
        <source>不脱敏导出个人信息（将写入审计日志）</source>
        <translation>Export personal data unmasked (written to the audit log)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="51"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="52"/>
        <source>格式</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="54"/>
        <source>条件</source>
        <translation>Condition</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="55"/>
        <source>坐标系</source>
        <translation>CRS</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="63"/>
        <source>导出到</source>
        <translation>Export to</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="101"/>
        <source>导出数据</source>
        <translation>Export data</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="104"/>
        <source>已导出 {0} 个要素到 {1}</source>
        <translation>Exported {0} features to {1}</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="106"/>
        <source>；Shapefile 字段名已缩短：</source>
        <translation>; Shapefile field names shortened: </translation>
    </message>
</context>
<context>
    <name>IdentifyPanel</name>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="15"/>
        <source>用识别工具点击地图上的要素</source>
        <translation>Click a feature on the map with the identify tool</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="18"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="18"/>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="47"/>
        <source>坐标</source>
        <translation>Coordinates</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="49"/>
        <source>面积 (m²)</source>
        <translation>Area (m²)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="49"/>
        <source>长度 (m)</source>
        <translation>Length (m)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/identify.py" line="54"/>
        <source>范围</source>
        <translation>Extent</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="36"/>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="141"/>
        <source>添加图层</source>
        <translation>Add layers</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="37"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="38"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="39"/>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="155"/>
        <source>从地图移除</source>
        <translation>Remove from map</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="48"/>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="51"/>
        <source>不透明度</source>
        <translation>Opacity</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="150"/>
        <source>缩放到图层</source>
        <translation>Zoom to layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="151"/>
        <source>打开属性表</source>
        <translation>Open attribute table</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="152"/>
        <source>样式…</source>
        <translation>Style…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/layer_panel.py" line="153"/>
        <source>缩放到所选要素</source>
        <translation>Zoom to selected features</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="38"/>
        <source>龙政图 lzt — {0}</source>
        <translation>lzt — {0}</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="46"/>
        <source>地图</source>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="47"/>
        <source>批后监管</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="48"/>
        <location filename="../../lzt/gui/main_window.py" line="195"/>
        <source>民意看板</source>
        <translation>Complaint dashboard</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="52"/>
        <source>三维</source>
        <translation>3D</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="60"/>
        <source>图层</source>
        <translation>Layers</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="61"/>
        <source>属性表</source>
        <translation>Attribute table</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="62"/>
        <source>查询</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="63"/>
        <location filename="../../lzt/gui/main_window.py" line="172"/>
        <source>识别</source>
        <translation>Identify</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="109"/>
        <source>比例尺</source>
        <translation>Scale</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="115"/>
        <source>绘制 {0} ms</source>
        <translation>Drawn in {0} ms</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="136"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="137"/>
        <source>打开工作空间…</source>
        <translation>Open workspace…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="139"/>
        <source>打开共享工作空间（PostGIS）…</source>
        <translation>Open shared workspace (PostGIS)…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="140"/>
        <source>最近的工作空间</source>
        <translation>Recent workspaces</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="143"/>
        <source>添加图层…</source>
        <translation>Add layers…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="144"/>
        <source>导入 BIM 模型文件夹…</source>
        <translation>Import BIM model folder…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="145"/>
        <source>导出当前图层…</source>
        <translation>Export current layer…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="146"/>
        <source>导出地图…</source>
        <translation>Export map…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="147"/>
        <source>导出图集…</source>
        <translation>Export atlas…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="149"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="151"/>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="152"/>
        <location filename="../../lzt/gui/main_window.py" line="186"/>
        <source>全图</source>
        <translation>Full extent</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="153"/>
        <source>缩放到当前图层</source>
        <translation>Zoom to current layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="154"/>
        <source>缩放到所选要素</source>
        <translation>Zoom to selected features</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="158"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="166"/>
        <source>工具(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="167"/>
        <source>地图工具</source>
        <translation>Map tools</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="172"/>
        <source>平移</source>
        <translation>Pan</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="172"/>
        <source>拉框放大</source>
        <translation>Zoom to box</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="173"/>
        <source>选择（点击或拉框）</source>
        <translation>Select (click or box)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="173"/>
        <source>多边形选择</source>
        <translation>Select by polygon</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="174"/>
        <source>量距离</source>
        <translation>Measure distance</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="174"/>
        <source>量面积</source>
        <translation>Measure area</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="184"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="185"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="187"/>
        <source>清除选择</source>
        <translation>Clear selection</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="192"/>
        <source>分析(&amp;A)</source>
        <translation>&amp;Analysis</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="193"/>
        <source>空间查询</source>
        <translation>Spatial query</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="194"/>
        <source>批后监管检查</source>
        <translation>Supervision checks</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="196"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="197"/>
        <location filename="../../lzt/gui/main_window.py" line="345"/>
        <source>关于龙政图</source>
        <translation>About lzt</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="260"/>
        <source>导入数据</source>
        <translation>Import data</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="265"/>
        <source>选择 BIM 模型文件夹</source>
        <translation>Choose a BIM model folder</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="300"/>
        <location filename="../../lzt/gui/main_window.py" line="320"/>
        <source>打开工作空间</source>
        <translation>Open workspace</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="308"/>
        <source>打开共享工作空间</source>
        <translation>Open shared workspace</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="309"/>
        <source>地址（密码请放在 pg_service.conf 或 PGPASSFILE 中）：</source>
        <translation>URL (keep the password in pg_service.conf or PGPASSFILE):</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="339"/>
        <source>界面语言将在重新启动后生效。</source>
        <translation>The language changes when lzt starts again.</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="346"/>
        <source>龙政图 lzt {0}
龙岗区时空信息桌面客户端</source>
        <translation>lzt {0}
Longgang spatial-information desktop client</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/main_window.py" line="353"/>
        <source>有任务正在进行，请先等待完成或取消</source>
        <translation>A task is running: wait for it to finish or cancel it first</translation>
    </message>
</context>
<context>
    <name>QueryPanel</name>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="34"/>
        <source>整个图层</source>
        <translation>Whole layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="34"/>
        <source>所选要素</source>
        <translation>Selected features</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="36"/>
        <source>对方图层的条件，如 name = &apos;南岭村&apos;</source>
        <translation>Condition on the other layer, e.g. name = &apos;南岭村&apos;</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="42"/>
        <source>属性条件（CQL2），如 category = &apos;学校&apos;</source>
        <translation>Attribute condition (CQL2), e.g. category = &apos;学校&apos;</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="43"/>
        <source>查询</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="45"/>
        <source>保留为图层…</source>
        <translation>Keep as layer…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="47"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="52"/>
        <source>查询图层</source>
        <translation>Query layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="53"/>
        <source>空间关系</source>
        <translation>Spatial relation</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="54"/>
        <source>对方图层</source>
        <translation>Other layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="55"/>
        <source>范围</source>
        <translation>Extent</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="56"/>
        <source>对方条件</source>
        <translation>Other condition</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="57"/>
        <source>距离</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="58"/>
        <source>属性条件</source>
        <translation>Attribute condition</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="98"/>
        <source>找到 {0} 个要素（图层“{1}”）</source>
        <translation>Found {0} features (layer “{1}”)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="132"/>
        <source>保留查询结果</source>
        <translation>Keep query result</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="132"/>
        <source>图层名称</source>
        <translation>Layer name</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/query.py" line="146"/>
        <source>已保留为图层“{0}”</source>
        <translation>Kept as layer “{0}”</translation>
    </message>
</context>
<context>
    <name>SheetDialog</name>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="28"/>
        <source>导出图集</source>
        <translation>Export atlas</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="28"/>
        <source>导出地图</source>
        <translation>Export map</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="32"/>
        <source>横向</source>
        <translation>Landscape</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="39"/>
        <source>按要素范围自动确定比例尺</source>
        <translation>Scale from each feature&apos;s extent</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="41"/>
        <source>龙岗区专题图</source>
        <translation>Longgang thematic map</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="51"/>
        <source>可选：只为满足条件的要素出图</source>
        <translation>Optional: only features meeting a condition</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="53"/>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="58"/>
        <source>（预览）</source>
        <translation>(preview)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="62"/>
        <source>刷新预览</source>
        <translation>Refresh preview</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="67"/>
        <source>纸张</source>
        <translation>Paper</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="69"/>
        <source>比例尺</source>
        <translation>Scale</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="71"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="72"/>
        <source>分辨率 (dpi)</source>
        <translation>Resolution (dpi)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="74"/>
        <source>分幅图层</source>
        <translation>Coverage layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="75"/>
        <source>条件</source>
        <translation>Condition</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="76"/>
        <source>输出</source>
        <translation>Output</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="104"/>
        <source>图集保存为</source>
        <translation>Save atlas as</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/sheet.py" line="106"/>
        <source>地图保存为</source>
        <translation>Save map as</translation>
    </message>
</context>
<context>
    <name>StyleEditor</name>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="59"/>
        <source>图层样式 — {0}</source>
        <translation>Layer style — {0}</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="77"/>
        <source>填充</source>
        <translation>Fill</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="78"/>
        <source>边线</source>
        <translation>Outline</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="79"/>
        <source>边线宽 (mm)</source>
        <translation>Outline width (mm)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="80"/>
        <source>点大小 (mm)</source>
        <translation>Point size (mm)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="85"/>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="85"/>
        <source>图例</source>
        <translation>Legend</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="87"/>
        <source>按字段值分类</source>
        <translation>Classify by field values</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="95"/>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="116"/>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="131"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="100"/>
        <source>双击颜色可修改</source>
        <translation>Double-click a colour to change it</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="108"/>
        <source>分位数（每级数量相等）</source>
        <translation>Quantiles (equal counts)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="109"/>
        <source>等间距</source>
        <translation>Equal intervals</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="117"/>
        <source>级数</source>
        <translation>Classes</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="118"/>
        <source>分级方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="119"/>
        <source>低值颜色</source>
        <translation>Low colour</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="120"/>
        <source>高值颜色</source>
        <translation>High colour</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="132"/>
        <source>起始值</source>
        <translation>From value</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="133"/>
        <source>起始颜色</source>
        <translation>From colour</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="134"/>
        <source>终止值</source>
        <translation>To value</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="135"/>
        <source>终止颜色</source>
        <translation>To colour</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="139"/>
        <source>模糊半径 (mm)</source>
        <translation>Blur radius (mm)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="141"/>
        <source>叠加山体阴影</source>
        <translation>Hillshade</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="160"/>
        <source>（不标注）</source>
        <translation>(no labels)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="170"/>
        <source>渲染方式</source>
        <translation>Renderer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="171"/>
        <source>不透明度 (%)</source>
        <translation>Opacity (%)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="172"/>
        <source>最小比例尺分母（0 不限）</source>
        <translation>Hide beyond 1:N (0: no limit)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="173"/>
        <source>最大比例尺分母（0 不限）</source>
        <translation>Hide below 1:N (0: no limit)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="174"/>
        <source>标注字段</source>
        <translation>Label field</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="175"/>
        <source>标注字号 (mm)</source>
        <translation>Label size (mm)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/style_editor.py" line="176"/>
        <source>绘制顺序</source>
        <translation>Draw order</translation>
    </message>
</context>
<context>
    <name>SupervisionBench</name>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="62"/>
        <source>全部结论</source>
        <translation>All verdicts</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="64"/>
        <source>全部规则</source>
        <translation>All rules</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="66"/>
        <source>宗地编号 / 项目 / 受让人</source>
        <translation>Parcel ID / project / holder</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="71"/>
        <location filename="../../lzt/gui/panels/supervision.py" line="190"/>
        <source>核查日期</source>
        <translation>Inspection date</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="71"/>
        <source>结论</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="72"/>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="115"/>
        <source>范围</source>
        <translation>Extent</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="124"/>
        <source>出让条件</source>
        <translation>Grant terms</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="125"/>
        <location filename="../../lzt/gui/panels/supervision.py" line="192"/>
        <source>核查结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="126"/>
        <source>BIM 模型</source>
        <translation>BIM models</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="127"/>
        <source>周边诉求</source>
        <translation>Nearby complaints</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="128"/>
        <source>核查记录</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="129"/>
        <source>录入核查</source>
        <translation>Record inspection</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="130"/>
        <source>生成 PDF 报告</source>
        <translation>PDF report</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="186"/>
        <source>添加照片…</source>
        <translation>Add photos…</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="189"/>
        <source>（不变）</source>
        <translation>(unchanged)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="191"/>
        <source>核查人</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="193"/>
        <source>情况说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="197"/>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="198"/>
        <source>变更状态</source>
        <translation>Change status</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="201"/>
        <source>加入待保存</source>
        <translation>Add to pending</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="203"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="205"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="207"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="217"/>
        <source>待保存的核查记录（保存前可撤销）</source>
        <translation>Pending inspections (undoable until saved)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="230"/>
        <source>工作空间中没有批后监管图层（用 lzt import --kind supervision 导入）</source>
        <translation>The workspace has no supervision layer (import one with lzt import --kind supervision)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="271"/>
        <source>{0} / {1} 宗</source>
        <translation>{0} / {1} parcels</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="306"/>
        <source>（宗地上没有 BIM 模型）</source>
        <translation>(no BIM model on the parcel)</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="317"/>
        <source>宗地没有图形</source>
        <translation>The parcel has no geometry</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="322"/>
        <source>工作空间中没有民生诉求图层</source>
        <translation>The workspace has no complaint layer</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="325"/>
        <source>共 {0} 件</source>
        <translation>{0} in total</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="338"/>
        <source>选择照片</source>
        <translation>Choose photos</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="344"/>
        <source>请先在左侧选择宗地</source>
        <translation>Choose a parcel in the list first</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="347"/>
        <source>请填写核查人和核查结果</source>
        <translation>Fill in the inspector and the result</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="360"/>
        <source>已加入待保存；点击“保存”写入工作空间</source>
        <translation>Added to pending; click “Save” to write it to the workspace</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="383"/>
        <source>保存核查记录</source>
        <translation>Save inspection records</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/panels/supervision.py" line="392"/>
        <source>已保存 {0} 条核查记录</source>
        <translation>Saved {0} inspection records</translation>
    </message>
</context>
<context>
    <name>View3D</name>
    <message>
        <location filename="../../lzt/gui/view3d/widget.py" line="77"/>
        <source>构建三维场景</source>
        <translation>Building the 3D scene</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/view3d/widget.py" line="81"/>
        <source>三维场景未构建（已取消或出错）；再次切换到此页可重试</source>
        <translation>The 3D scene was not built (cancelled or failed); switch to this tab again to retry</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../lzt/gui/tasks.py" line="73"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="116"/>
        <source>保存宗地核查报告</source>
        <translation>Save parcel report</translation>
    </message>
    <message>
        <location filename="../../lzt/gui/dialogs/export.py" line="131"/>
        <source>生成核查报告</source>
        <translation>Writing the parcel report</translation>
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
        <translation>The longitudes/latitudes below do not look like they are in the system they were imported as. lzt corrected nothing by itself: the data was imported as it was.</translation>
    </message>
    <message>
        <source>各自判断的坐标系</source>
        <translation>the system found for each</translation>
    </message>
    <message>
        <source>应用：按 {0} 重新导入</source>
        <translation>Apply: re-import as {0}</translation>
    </message>
    <message>
        <source>保持原样</source>
        <translation>Keep as is</translation>
    </message>
    <message>
        <source>判断为</source>
        <translation>is</translation>
    </message>
    <message>
        <source>看来是</source>
        <translation>looks like</translation>
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
        <translation>, about {0:.0f} m off</translation>
    </message>
    <message>
        <source>与工作空间图层 {0} 比对：按 {1} 残差 {2:.1f} m，按 {3} {4}</source>
        <translation>against workspace layer {0}: residual {2:.1f} m as {1}, {4} as {3}</translation>
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
        <translation>Re-importing in the system found</translation>
    </message>
</context>
</TS>
