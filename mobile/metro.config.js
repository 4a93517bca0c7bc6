// Expo's Metro configuration with Sentry's serializer: each bundle and its source map
// carry the same Debug ID, which is how Sentry pairs an uploaded source map with the
// exact bundle an error came from.
const { getSentryExpoConfig } = require('@sentry/react-native/metro');

module.exports = getSentryExpoConfig(__dirname);
