// @ts-check
const config = {
  title: 'Fixture',
  baseUrl: '/',
  presets: [
    ['classic', {docs: {path: 'docs', routeBasePath: 'docs'}, blog: {}}],
  ],
};
module.exports = config;
