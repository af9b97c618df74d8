package org.openkyc.server.liveness;

/**
 * What the user is asked to do in a challenge video. Directions are the user's
 * own: TURN_LEFT means the user turns their head to their left, which in an
 * unmirrored front-camera video moves the nose towards the image's right.
 */
public enum ChallengeAction { BLINK, SMILE, TURN_LEFT, TURN_RIGHT, NOD, OPEN_MOUTH }
