setInterval(() => console.log("working"), 60000);
