package dev.roster.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the WARN (and worse) records of one logger category while a test runs. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();

    private LogCapture(String category) {
        this.logger = Logger.getLogger(category);
        logger.addHandler(this);
    }

    public static LogCapture of(Class<?> category) {
        return new LogCapture(category.getName());
    }

    public static LogCapture of(String category) {
        return new LogCapture(category);
    }

    public int warnings() {
        return warnings.size();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record);
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
