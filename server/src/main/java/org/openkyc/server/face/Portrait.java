package org.openkyc.server.face;

/**
 * The holder's portrait found on an identity document.
 *
 * @param face      the face on the document image, with landmarks
 * @param embedding unit embedding of that face
 * @param jpeg      the portrait cut out (face box grown by half on each side), JPEG bytes
 */
public record Portrait(DetectedFace face, float[] embedding, byte[] jpeg) {}
