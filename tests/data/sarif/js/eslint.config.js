module.exports = [
  {
    files: ["src/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable" } },
    rules: { "no-eval": "error", "no-unused-vars": "warn" },
  },
];
