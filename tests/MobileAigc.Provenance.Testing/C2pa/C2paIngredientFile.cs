namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>An asset the official SDK adds as an ingredient when it signs (its own manifest store comes along).</summary>
/// <param name="File">The ingredient's bytes.</param>
/// <param name="Mime">Its media type: <c>image/png</c>, <c>image/jpeg</c> or <c>image/webp</c>.</param>
/// <param name="IngredientJson">The ingredient definition, e.g. <c>{"title":"in.png","relationship":"parentOf"}</c>.</param>
public sealed record C2paIngredientFile(byte[] File, string Mime, string IngredientJson);
