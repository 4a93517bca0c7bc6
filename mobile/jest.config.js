/** Unit tests: jest-expo (iOS flavour) with React Native Testing Library. */

// Times are written in one known zone, whatever the machine's (the workers inherit it),
// as values are formatted for one known locale (jest.setup.ts).
process.env.TZ = 'UTC';

module.exports = {
  preset: 'jest-expo',
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts?(x)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/e2e/'],
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
  // The first test of a file also loads and transforms its screen's modules, which
  // takes more than Jest's default 5 s on a busy two-core CI machine. Tests assert
  // behaviour, never time; a real hang still fails.
  testTimeout: 20000,
  transformIgnorePatterns: [
    'node_modules/(?!((jest-)?react-native|@react-native(-community)?|expo(nent)?|@expo(nent)?/.*|@expo-google-fonts/.*|react-navigation|@react-navigation/.*|@sentry/react-native|native-base|react-native-svg|openapi-fetch))',
  ],
};
