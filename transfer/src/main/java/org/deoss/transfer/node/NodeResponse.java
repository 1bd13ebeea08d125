package org.deoss.transfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A status and a JSON body, written by {@link NodeHandler}. */
record NodeResponse(HttpResponseStatus status, JsonNode body) {}
