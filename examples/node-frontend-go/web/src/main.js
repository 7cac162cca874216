// The frontend: asks the Go backend that serves it for a greeting.
const el = document.getElementById("api");
fetch("/api/hello")
  .then((res) => res.json())
  .then((body) => {
    el.textContent = body.message;
  })
  .catch(() => {
    el.textContent = "the backend did not answer";
  });
