package org.openkyc.server.liveness;

/** Why a challenge video passed or failed. */
public enum LivenessReason {
    PASSED,
    /** The video could not be decoded (not mp4/H.264, webm or another FFmpeg-readable video). */
    UNREADABLE_VIDEO,
    /** More bytes than the configured limit. */
    TOO_LARGE,
    /** Longer than the configured limit. */
    TOO_LONG,
    /** Too few frames to judge. */
    TOO_SHORT,
    /** No face in too many frames. */
    NO_FACE,
    /** More than one face in too many frames. */
    MULTIPLE_FACES,
    /** The face is not the same person throughout, across videos, or as the reference. */
    FACE_CHANGED,
    /** The face never moves: a photo held up or a frozen replay. */
    NO_MOTION,
    /** The face moves, but the requested action was not seen. */
    ACTION_NOT_SEEN
}
