// Runs before every test file: tests never send real notifications or start cron timers by accident.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
