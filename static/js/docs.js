// Starts the vendored Swagger UI on /docs. An external file, not an inline script, because of the CSP.
// No validator badge and no other foreign requests: the page must work with no internet.
const root = document.getElementById("swagger-ui");

window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
