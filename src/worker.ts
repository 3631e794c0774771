import { createApp } from "./app";

export { SkuObject } from "./objects/sku-object";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
