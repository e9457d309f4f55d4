// Scratch folders and the seeded generator, in every file of this target
// without an import in each.
@_exported import TestSupport
