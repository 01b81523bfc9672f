/// Plain Float64 reference implementations of every loss. See `ReferenceLosses`.
public enum ReferenceLosses {}
