import { ASSETS_PATH } from './assets.js';

export interface ExplorerPreset {
  /** What the preset list shows, e.g. "七宝A 居民 / Qibao A resident". */
  label: string;
  /** Bearer token the preset puts in the Authorization header. */
  token: string;
}

const DEFAULT_QUERY = `# 邻里联邦 GraphQL 调试器 (Linli federation GraphQL explorer)
# 在右上角选择身份预设，Authorization 请求头会自动填好。
# Pick an identity preset above; the Authorization header is filled in for you.

query Resources($communityId: ID!) {
  resources(communityId: $communityId, first: 10) {
    edges {
      node { id name nameEn kind capacity communityId }
    }
  }
}
`;

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function explorerPage(presets: readonly ExplorerPreset[], endpoint: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>邻里 GraphQL 调试器 (Linli GraphQL explorer)</title>
<link rel="stylesheet" href="${ASSETS_PATH}/graphiql.min.css">
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
  header { display: flex; gap: 1rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 1rem; margin: 0; }
  header label { margin-left: auto; font-size: 0.9rem; }
  #graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<header>
  <h1>邻里联邦 GraphQL 调试器 <span lang="en">(Linli federation GraphQL explorer)</span></h1>
  <label>身份预设 <span lang="en">(Identity preset)</span>
    <select id="preset"><option value="">匿名访客 (Anonymous visitor)</option></select>
  </label>
</header>
<div id="graphiql">正在加载… (Loading…)</div>
<script src="${ASSETS_PATH}/react.production.min.js"></script>
<script src="${ASSETS_PATH}/react-dom.production.min.js"></script>
<script src="${ASSETS_PATH}/graphiql.min.js"></script>
<script>
  const presets = ${scriptJson(presets)};
  const select = document.getElementById('preset');
  presets.forEach((preset, index) => {
    const option = document.createElement('option');
    option.value = String(index);
    option.textContent = preset.label;
    select.appendChild(option);
  });
  const fetcher = GraphiQL.createFetcher({ url: ${scriptJson(endpoint)} });
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  const headersFor = (value) => {
    const preset = value === '' ? undefined : presets[Number(value)];
    return preset ? JSON.stringify({ Authorization: 'Bearer ' + preset.token }, null, 2) : '';
  };
  const render = () =>
    root.render(
      React.createElement(GraphiQL, {
        fetcher,
        headers: headersFor(select.value),
        defaultQuery: ${scriptJson(DEFAULT_QUERY)},
        defaultEditorToolsVisibility: 'headers',
        shouldPersistHeaders: false,
      }),
    );
  select.addEventListener('change', render);
  render();
</script>
</body>
</html>
`;
}
