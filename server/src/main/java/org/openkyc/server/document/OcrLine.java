package org.openkyc.server.document;

/** One line of text as read, with the confidence (0-1) of each character. */
public record OcrLine(String text, double[] confidence) {}
