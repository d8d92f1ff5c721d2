// Moved to tests/support (shared with the E2E and publishing tests).
export * from '../../support/fake-reddit';
