// Another package of the workspace, which the api does not use: it stays out of the api's image.
module.exports = require("left-pad")("web", 5);
