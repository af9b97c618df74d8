package org.openkyc.gateway;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a client connection the way HTTP asks a server to ("lingering close"): when the gateway closes a
 * connection right after an answer, e.g. 431 for a header block over the limit while the client is still
 * sending the rest of it, closing the socket with unread bytes in it makes the kernel reset the connection,
 * and the client often loses the answer to that reset. So the output side is shut down first (the answer
 * and a FIN go out), whatever still arrives is read and dropped unparsed, and the socket is closed when the
 * client closes its side or after {@link #LINGER_MILLIS}, whichever comes first.
 *
 * <p>Installed first in every connection's pipeline (next to the socket, under TLS).
 */
final class LingeringClose extends ChannelDuplexHandler {

    /** Longest time a closed connection keeps reading (and dropping) what the client still sends. */
    static final long LINGER_MILLIS = 2_000;

    private boolean lingering;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        final Channel channel = ctx.channel();
        if (lingering || !(channel instanceof DuplexChannel duplex) || !channel.isActive()
            || duplex.isInputShutdown() || duplex.isOutputShutdown()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                ctx.close(promise);
            }
        });
        ctx.executor().schedule(() -> {
            ctx.close(promise);
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) {
            ReferenceCountUtil.release(msg); // dropped unread: the connection is closing
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
