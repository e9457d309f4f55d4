/// Writes the findings of one ticket or message as a post in a back-end's
/// style: headline per call, ladder, first failure, evidence, fix; the
/// ladder trimmed with a note beyond the limit; redacted; the marker last.
/// SEAM: owned by the annotation piece.
public struct AnnotationRenderer: Sendable {
    public var redactor: Redactor

    public init(redactor: Redactor) {
        self.redactor = redactor
    }

    public func render(_ findings: [CallFinding], marker: AnnotationMarker, style: PostStyle) -> RenderedPost {
        RenderedPost(plain: marker.text, formatted: nil, markup: style.markup, marker: marker.text)
    }
}
