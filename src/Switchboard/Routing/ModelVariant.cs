namespace Switchboard.Routing;

internal enum ModelVariant
{
    None,

    /// <summary><c>:free</c>: only endpoints that cost nothing.</summary>
    Free,

    /// <summary><c>:nitro</c>: fastest first (sort by throughput).</summary>
    Nitro,

    /// <summary><c>:floor</c>: cheapest first (sort by price).</summary>
    Floor,
}

/// <summary>A requested model id split into the catalog id and its variant suffix.</summary>
internal readonly record struct RequestedModel(string Id, ModelVariant Variant, string Suffix)
{
    public static bool TryParse(string requested, out RequestedModel model)
    {
        var colon = requested.LastIndexOf(':');
        if (colon < 0)
        {
            model = new RequestedModel(requested, ModelVariant.None, "");
            return true;
        }
        var suffix = requested[(colon + 1)..];
        var variant = suffix switch
        {
            "free" => ModelVariant.Free,
            "nitro" => ModelVariant.Nitro,
            "floor" => ModelVariant.Floor,
            _ => (ModelVariant?)null,
        };
        model = new RequestedModel(requested[..colon], variant ?? ModelVariant.None, suffix);
        return variant is not null;
    }

    /// <summary>True for a <c>:free</c> request, which the free-model rate limits apply to.</summary>
    public static bool IsFree(string requested) => TryParse(requested, out var model) && model.Variant == ModelVariant.Free;

    /// <summary>
    /// The id responses carry: the catalog's own id (whatever alias or casing was asked for), with <c>:free</c>
    /// kept since it names a different pool; routing shortcuts such as <c>:nitro</c> are dropped.
    /// </summary>
    public string PublicId(Catalog.CatalogModel model) => Variant == ModelVariant.Free ? $"{model.Id}:free" : model.Id;
}
