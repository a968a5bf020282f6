// Parse each file named on the command line as a classic script (not a module): a static
// import/export left in a generated file is a syntax error here. Prints "name: error" per failure
// and exits 1 if any failed.   node check_classic_scripts.mjs FILE...
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

for (const file of process.argv.slice(2)) {
  try {
    new vm.Script(readFileSync(file, "utf8"), { filename: file });
  } catch (err) {
    console.log(`${path.basename(file)}: ${err.message}`);
    process.exitCode = 1;
  }
}
