/// lossbook's version, shown beside every verified number with the fingerprint of the loss sources.
public enum LossbookVersion {
    public static let current = "0.1.0"
}
