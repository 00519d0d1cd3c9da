/** /docs: the site's header (navigation back to the labs, language switch) around the Swagger UI explorer. */

import { initI18n } from "./i18n.js";

initI18n();
