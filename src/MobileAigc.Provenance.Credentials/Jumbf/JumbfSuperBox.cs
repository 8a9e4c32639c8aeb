namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>A <c>jumb</c> superbox: a description box, then content boxes (data boxes or superboxes).</summary>
public sealed class JumbfSuperBox : JumbfBox
{
    /// <summary>Creates a superbox.</summary>
    /// <param name="description">Its description box.</param>
    /// <param name="children">Its content boxes, in order.</param>
    public JumbfSuperBox(JumbfDescriptionBox description, IEnumerable<JumbfBox> children)
        : base(JumbfBoxTypes.Superbox)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(children);
        Description = description;
        Children = [.. children];
    }

    /// <summary>Creates a superbox with a labelled description of <paramref name="contentType"/>.</summary>
    public JumbfSuperBox(Guid contentType, string label, params JumbfBox[] children)
        : this(new JumbfDescriptionBox(contentType, label), children)
    {
    }

    /// <summary>The description box.</summary>
    public JumbfDescriptionBox Description { get; }

    /// <summary>The content boxes after the description box.</summary>
    public IReadOnlyList<JumbfBox> Children { get; }

    /// <summary>The description's label, or null.</summary>
    public string? Label => Description.Label;

    /// <summary>The description's content type.</summary>
    public Guid ContentType => Description.ContentType;

    /// <summary>The child superboxes.</summary>
    public IEnumerable<JumbfSuperBox> SuperBoxes => Children.OfType<JumbfSuperBox>();

    /// <summary>The first child superbox labelled <paramref name="label"/>, or null.</summary>
    public JumbfSuperBox? FindChild(string label) =>
        SuperBoxes.FirstOrDefault(box => string.Equals(box.Label, label, StringComparison.Ordinal));

    /// <summary>The first data box of <paramref name="type"/> among the children, or null.</summary>
    public JumbfDataBox? FindData(uint type) =>
        Children.OfType<JumbfDataBox>().FirstOrDefault(box => box.Type == type);

    /// <inheritdoc />
    internal override long PayloadLength => Description.Encoded.Length + Children.Sum(child => (long)child.Encoded.Length);

    /// <inheritdoc />
    internal override void WritePayload(Stream destination)
    {
        destination.Write(Description.Encoded.Span);
        foreach (var child in Children)
        {
            destination.Write(child.Encoded.Span);
        }
    }
}
