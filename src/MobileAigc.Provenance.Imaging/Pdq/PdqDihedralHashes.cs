namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// The PDQ hashes of a picture in all eight <see cref="PdqDihedral"/> forms, derived from one DCT as the reference
/// does (a turn or mirror of the picture only transposes the 16×16 coefficients and flips the signs of some), and the
/// picture's quality (the same for every form).
/// </summary>
/// <remarks>
/// Matching a query against a stored hash whatever the turn or mirror between them: compare the stored hash with each
/// of the query's eight (<see cref="MinimumDistanceTo"/>). Eight comparisons multiply the chance of a false match by
/// at most eight.
/// </remarks>
public sealed class PdqDihedralHashes
{
    private readonly PdqHash[] _hashes;

    internal PdqDihedralHashes(PdqHash[] hashes, int quality)
    {
        _hashes = hashes;
        Quality = quality;
    }

    /// <summary>0 (featureless) to 100 (detailed); see <see cref="PdqHashAndQuality"/>.</summary>
    public int Quality { get; }

    /// <summary>The hash of the picture as it is.</summary>
    public PdqHash Original => _hashes[(int)PdqDihedral.Original];

    /// <summary>The hash of the picture turned or mirrored as <paramref name="form"/> says.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="form"/> is not a defined value.</exception>
    public PdqHash this[PdqDihedral form]
    {
        get
        {
            if (!Enum.IsDefined(form))
            {
                throw new ArgumentOutOfRangeException(nameof(form), form, "Not one of the eight dihedral forms.");
            }

            return _hashes[(int)form];
        }
    }

    /// <summary>The eight forms and their hashes, in <see cref="PdqDihedral"/> order.</summary>
    public IEnumerable<(PdqDihedral Form, PdqHash Hash)> All => Enum.GetValues<PdqDihedral>().Select(form => (form, _hashes[(int)form]));

    /// <summary>The smallest distance from <paramref name="other"/> to any of the eight hashes, and the form that reaches it.</summary>
    public (PdqDihedral Form, int Distance) MinimumDistanceTo(PdqHash other) =>
        All.Select(entry => (entry.Form, Distance: entry.Hash.DistanceTo(other))).MinBy(entry => entry.Distance);
}
