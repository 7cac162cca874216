export default { build: { outDir: 'www' } }
