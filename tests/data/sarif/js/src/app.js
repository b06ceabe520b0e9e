// A deliberately unsafe sample for ESLint (never run).
function run(input) {
  return eval(input);
}
const unused = 1;
module.exports = { run };
