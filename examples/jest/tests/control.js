// The control API over fetch, for CommonJS tests (kafkalite/control's connectControl is the
// typed client for ESM and TypeScript).
async function control(method, path, body) {
  const res = await fetch(`${process.env.KAFKALITE_CONTROL}/control/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error}: ${json.message}`);
  return json;
}

let seq = 0;
/** Topic and group names unique to this worker: the broker is shared by parallel workers. */
function unique(base) {
  return `${base}-${process.env.JEST_WORKER_ID}-${process.pid}-${++seq}`;
}

module.exports = { control, unique };
