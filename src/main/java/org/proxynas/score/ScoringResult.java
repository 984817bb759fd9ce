package org.proxynas.score;

/** What {@link ScoringJob#run} produced: the summary written to scores.json and the table written to scores.csv. */
public record ScoringResult(ScoringSummary summary, ScoreTable scores) {}
