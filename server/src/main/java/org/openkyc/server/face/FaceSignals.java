package org.openkyc.server.face;

/**
 * What the face models say about one face in one frame, for liveness over time.
 *
 * @param face          the face and its landmarks
 * @param pose          head pose from the pose model
 * @param leftEyeClosed probability 0-1 that the image-left eye is closed (eye-state model)
 * @param rightEyeClosed probability 0-1 that the image-right eye is closed
 * @param eyeAspect     eye aspect ratio from landmarks (mean of both eyes; ~0.3 open, &lt; 0.15 closed)
 * @param mouthAspect   inner-mouth opening over mouth width, from landmarks
 * @param mouthWidth    mouth width over inter-ocular distance, from landmarks
 * @param smile         probability 0-1 of a smile (expression model), NaN when not computed
 */
public record FaceSignals(DetectedFace face, HeadPose pose, double leftEyeClosed, double rightEyeClosed,
        double eyeAspect, double mouthAspect, double mouthWidth, double smile) {}
