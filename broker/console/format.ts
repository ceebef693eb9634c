// Formatting shared by the CLI and the web console, so both show sizes alike. The console page
// imports the compiled module (GET /console/format.js, served by broker/http/console.ts): no
// imports here, and nothing that needs Node or the DOM.

/** A byte count in binary units: `512 B`, `1.5 KiB`, `12.0 MiB` (TiB at most). */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}`;
}
