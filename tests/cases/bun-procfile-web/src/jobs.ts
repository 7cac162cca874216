setInterval(() => console.log("tick"), 60_000);
