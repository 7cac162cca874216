const ms = require("ms"); module.exports.greet = () => "hello from shared " + ms(60000);
