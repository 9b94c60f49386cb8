package dev.handoff.api.spi;

/**
 * Scores text sentiment when the bot did not supply a score.
 *
 * <p>Called on the bot's thread for customer turns without a sentiment signal, and by the packager. Must be
 * fast, thread-safe and total: any text, including empty, gives a score.
 */
public interface SentimentAnalyzer {

    /**
     * Scores one text.
     *
     * @param text any text, possibly empty
     * @return a score in -1 (very negative) .. +1 (very positive); 0 when neutral or unknown */
    double score(String text);
}
