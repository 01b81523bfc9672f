/// Code facts the clDice losses share: MONAI's parameters with its names and defaults, and the
/// citation.
enum TopologyText {
    /// `iter_` (default 3): the soft skeleton's erosion steps, MONAI's name.
    static let iterations = ParameterSpec("iter_", .integer(min: 0, max: nil), default: .number(3))
    /// MONAI's clDice smoothing: 1 in the numerators and denominators of T_prec and T_sens.
    static let smoothNr = ParameterSpec("smooth_nr", .number(min: 0, max: nil), default: .number(1))
    static let smoothDr = ParameterSpec("smooth_dr", .number(min: 0, max: nil), default: .number(1))
    /// Added to the harmonic mean's denominator; MONAI requires it positive.
    static let smooth = ParameterSpec("smooth", .number(min: 0, max: nil, minExclusive: true), default: .number(1e-4))

    static let clDicePaper = Citation(
        "Shit S., Paetzold J. C., Sekuboyina A., Ezhov I., Unger A., Zhylka A., Pluim J. P. W., Bauer U., Menze B. H. clDice — a Novel Topology-Preserving Loss Function for Tubular Structure Segmentation. CVPR 2021.",
        url: "https://arxiv.org/abs/2003.07311")

    /// T_prec and T_sens as the formulas use them: one sample's sums over the kept classes c and
    /// the positions i, S_{p,c} and S_{g,c} the soft skeletons of class c's image.
    static let precisionSensitivity =
        #"T_{prec} = \frac{\sum_{c,i} S_{p,c}(i)\, g_{c,i} + s_{nr}}{\sum_{c,i} S_{p,c}(i) + s_{dr}}, \quad T_{sens} = \frac{\sum_{c,i} S_{g,c}(i)\, p_{c,i} + s_{nr}}{\sum_{c,i} S_{g,c}(i) + s_{dr}}"#

    /// The soft skeleton of Shit et al. as MONAI computes it.
    static let skeleton =
        #"S = s_{K},\ s_0 = [x - \Delta(E(x))]_+,\ s_k = s_{k-1} + \bigl[d_k - s_{k-1} d_k\bigr]_+,\ d_k = [E^k(x) - \Delta(E^{k+1}(x))]_+"#
}
