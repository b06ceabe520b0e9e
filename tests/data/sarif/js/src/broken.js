// A file that does not parse: ESLint reports the run as unsuccessful.
function broken( {
