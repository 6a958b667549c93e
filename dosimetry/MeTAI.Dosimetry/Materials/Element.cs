namespace MeTAI.Dosimetry.Materials;

/// <summary>
/// The chemical elements that the dose materials contain: atomic number and standard atomic weight (g/mol, the
/// values XCOM uses; IUPAC standard atomic weights).
/// </summary>
public readonly record struct Element(string Symbol, int Z, double AtomicWeight)
{
    private static readonly Element[] Known =
    [
        new("H", 1, 1.00794), new("C", 6, 12.011), new("N", 7, 14.00674), new("O", 8, 15.9994),
        new("Na", 11, 22.989771), new("Mg", 12, 24.305), new("P", 15, 30.973761), new("S", 16, 32.066),
        new("Cl", 17, 35.4527), new("Ar", 18, 39.948), new("K", 19, 39.0983), new("Ca", 20, 40.078),
        new("Ti", 22, 47.867), new("Fe", 26, 55.845), new("I", 53, 126.90447),
    ];

    /// <summary>Looks up an element by symbol (case-sensitive, e.g. "Ca").</summary>
    public static Element FromSymbol(string symbol)
    {
        foreach (Element e in Known)
        {
            if (e.Symbol == symbol)
            {
                return e;
            }
        }

        throw new ArgumentException($"Unknown element symbol '{symbol}'.", nameof(symbol));
    }

    /// <summary>True when the symbol is known.</summary>
    public static bool IsKnown(string symbol)
    {
        foreach (Element e in Known)
        {
            if (e.Symbol == symbol)
            {
                return true;
            }
        }

        return false;
    }
}
