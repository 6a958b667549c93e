namespace MeTAI.Service.Rehearsals;

/// <summary>A triangle surface: <see cref="PositionsLps"/> as flat x, y, z triples (LPS mm), three <see cref="Indices"/> per triangle.</summary>
/// <param name="PositionsLps">Vertex positions, LPS mm.</param>
/// <param name="Indices">Vertex indices, three per triangle, counter-clockwise seen from outside.</param>
public sealed record TriangleSurface(double[] PositionsLps, int[] Indices)
{
    /// <summary>Number of triangles.</summary>
    public int TriangleCount => Indices.Length / 3;
}
