package org.openkyc.server.geo;

/**
 * An address encoded as an Open Location Code: {@code formattedAddress} says what the point
 * stands for, {@code globalCode} is the full Plus Code ("8Q98HXPG+MP"), {@code compoundCode}
 * the code shortened against the nearest known locality followed by that locality
 * ("HXPG+MP Seoul, South Korea"), or the full code when no locality is near enough.
 */
public record AddressCode(String formattedAddress, String compoundCode, String globalCode, GeoPoint point,
        Precision precision) {
}
