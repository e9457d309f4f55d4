/// Names the state a call ended in, in the words of a ladder reader.
enum CallStateReader {
    static func state(of context: CallContext) -> CallState {
        // A response's CSeq names its request's method even when the trace
        // lost the request (a snippet that starts with the failure).
        let methods = Set(context.distinct.compactMap { context.message($0).method ?? context.message($0).cseq?.method })
        if !methods.contains("INVITE") {
            return methods.contains("REGISTER") ? .registration : .other
        }
        if context.wasAnswered {
            return methods.contains("BYE") ? .completed : .inCall
        }
        guard let code = context.failureCode else {
            let codes = context.distinct.compactMap { context.message($0).statusCode }
            if codes.contains(487), methods.contains("CANCEL") { return .cancelled }
            return .setup
        }
        switch code {
        case 486, 600: return .busy
        case 300..<400: return .diverted
        default: return .rejected
        }
    }
}
