package org.openkyc.server.face;

/** Head orientation in degrees: yaw (left/right), pitch (up/down), roll (tilt). */
public record HeadPose(double yaw, double pitch, double roll) {}
