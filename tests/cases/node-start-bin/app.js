module.exports = async function (app) { app.get("/", async () => ({ root: true })) }
