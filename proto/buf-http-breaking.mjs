// Compares the REST routes (google.api.http options) of two buf images in
// JSON form: every route of an rpc in the baseline must still exist on the same
// rpc, with the same HTTP method, path template, body and response_body.
// buf's breaking rules do not look at these options, and a REST client of a
// released version breaks as surely on a moved path as a gRPC client on a
// renumbered field. New routes and new rpcs are fine.
//
//   node buf-http-breaking.mjs BASELINE.json CURRENT.json [PATH_PREFIX]
// PATH_PREFIX (e.g. src/main/proto/) is put before the file names it prints.
// Prints one line per lost route (rule HTTP_ROUTE_NO_CHANGE) and exits 1 if
// there is any, else 0. Run by buf-breaking.sh.
import { readFileSync } from 'node:fs';

const VERBS = ['get', 'put', 'post', 'delete', 'patch'];

function routes(rule) {
  if (!rule) return [];
  const one = (r) => {
    let verb, path;
    for (const v of VERBS) {
      if (r[v] !== undefined) { verb = v.toUpperCase(); path = r[v]; }
    }
    if (r.custom) { verb = r.custom.kind; path = r.custom.path; }
    let s = `${verb} ${path}`;
    if (r.body) s += ` (body "${r.body}")`;
    if (r.responseBody) s += ` (response_body "${r.responseBody}")`;
    return s;
  };
  return [one(rule), ...(rule.additionalBindings || []).map(one)];
}

// rpc full name -> { file, routes }
function rpcs(imagePath) {
  const image = JSON.parse(readFileSync(imagePath, 'utf8'));
  const out = new Map();
  for (const file of image.file || []) {
    const pkg = file.package ? file.package + '.' : '';
    for (const service of file.service || []) {
      for (const method of service.method || []) {
        const rule = method.options && method.options['[google.api.http]'];
        out.set(`${pkg}${service.name}.${method.name}`, { file: file.name, routes: routes(rule) });
      }
    }
  }
  return out;
}

const [baselinePath, currentPath, prefix = ''] = process.argv.slice(2);
if (!baselinePath || !currentPath) {
  console.error('usage: node buf-http-breaking.mjs BASELINE.json CURRENT.json');
  process.exit(2);
}
const baseline = rpcs(baselinePath);
const current = rpcs(currentPath);
let findings = 0;
for (const [name, before] of baseline) {
  const after = current.get(name);
  const kept = new Set(after ? after.routes : []);
  for (const route of before.routes) {
    if (kept.has(route)) continue;
    findings++;
    const now = after
      ? (after.routes.length ? `its routes are now ${after.routes.join(', ')}` : 'it has no REST route now')
      : 'the rpc is gone';
    console.log(`${prefix}${after ? after.file : before.file}: rpc ${name} lost its REST route ${route}; ${now}. (HTTP_ROUTE_NO_CHANGE)`);
  }
}
process.exit(findings ? 1 : 0);
