// `npm run lint`: ESLint's recommended rules for this CommonJS app.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  { languageOptions: { sourceType: "commonjs", globals: { ...globals.node } } },
];
