extension SIPMessage {
    /// The SDP this message carries: the whole body when it is
    /// `application/sdp`, the SDP part of a multipart body, or a body that
    /// looks like SDP when Content-Type was elided from a pasted trace.
    public var sdp: SessionDescription? {
        let body = self.body
        guard !body.isEmpty else { return nil }
        let type = contentType ?? ""
        if type.hasPrefix("multipart/") {
            // The boundary is case-sensitive: hand over the header as written,
            // not the lower-cased `contentType`.
            let raw = self["content-type"]?.trimmingSpaces() ?? type
            return MultipartBody(contentType: raw, body: body)?.part(ofType: "application/sdp").flatMap(SessionDescription.init)
        }
        if type.hasPrefix("application/sdp") || (type.isEmpty && body.hasPrefix("v=0")) {
            return SessionDescription(body)
        }
        return nil
    }

    public var hasSDP: Bool { sdp != nil }
}
