using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;

namespace MeTAI.Dicom;

/// <summary>
/// A DICOM dataset: data elements kept sorted by tag, with typed access. Items of sequences are datasets too, with
/// <see cref="Parent"/> set so that the Specific Character Set is inherited (PS3.5 §7.5.1).
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements = [];
    private DicomCharacterSet? _characterSet;

    /// <summary>An empty dataset.</summary>
    public DicomDataset()
    {
    }

    /// <summary>A dataset holding <paramref name="elements"/>.</summary>
    public DicomDataset(IEnumerable<DicomElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (DicomElement e in elements)
        {
            AddOrUpdate(e);
        }
    }

    /// <summary>The dataset holding the sequence this item belongs to, or null at the top level.</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>Number of elements at this level.</summary>
    public int Count => _elements.Count;

    /// <summary>
    /// The character set for charset-dependent text: this dataset's (0008,0005) if present, else the parent's, else
    /// the default repertoire.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null)
            {
                return _characterSet;
            }

            if (TryGetElement(DicomTags.SpecificCharacterSet, out DicomElement? e))
            {
                _characterSet = DicomCharacterSet.FromTerms(SplitText(e, DicomCharacterSet.Default));
                return _characterSet;
            }

            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>True when the dataset holds <paramref name="tag"/>.</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>The element with <paramref name="tag"/>, or false.</summary>
    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        int i = IndexOf(tag);
        element = i >= 0 ? _elements[i] : null!;
        return i >= 0;
    }

    /// <summary>The element with <paramref name="tag"/>; throws <see cref="KeyNotFoundException"/> naming the tag.</summary>
    public DicomElement GetElement(DicomTag tag) =>
        TryGetElement(tag, out DicomElement e) ? e : throw Missing(tag);

    /// <summary>Adds an element; throws when the tag is already present.</summary>
    public void Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        int i = IndexOf(element.Tag);
        if (i >= 0)
        {
            throw new ArgumentException($"Dataset already holds {element.Tag} {DicomDictionary.NameOf(element.Tag)}.", nameof(element));
        }

        Insert(~i, element);
    }

    /// <summary>Adds an element, replacing any with the same tag.</summary>
    public void AddOrUpdate(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        int i = IndexOf(element.Tag);
        if (i >= 0)
        {
            _elements[i] = element;
            Adopt(element);
            if (element.Tag == DicomTags.SpecificCharacterSet)
            {
                _characterSet = null;
            }
        }
        else
        {
            Insert(~i, element);
        }
    }

    /// <summary>Removes the element with <paramref name="tag"/>; returns whether it was present.</summary>
    public bool Remove(DicomTag tag)
    {
        int i = IndexOf(tag);
        if (i < 0)
        {
            return false;
        }

        _elements.RemoveAt(i);
        if (tag == DicomTags.SpecificCharacterSet)
        {
            _characterSet = null;
        }

        return true;
    }

    /// <summary>Removes every element matching <paramref name="predicate"/>; returns how many.</summary>
    public int RemoveAll(Predicate<DicomElement> predicate)
    {
        _characterSet = null;
        return _elements.RemoveAll(predicate);
    }

    /// <summary>Elements in tag order.</summary>
    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A deep copy (sequences and their items copied; value bytes shared, they are immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset();
        foreach (DicomElement e in _elements)
        {
            copy._elements.Add(e is DicomSequence s ? CloneSequence(s) : e);
        }

        foreach (DicomElement e in copy._elements)
        {
            copy.Adopt(e);
        }

        return copy;
    }

    private static DicomSequence CloneSequence(DicomSequence s) => new(s.Tag, s.Items.Select(item => item.Clone()));

    private int IndexOf(DicomTag tag)
    {
        // Readers append in ascending order, so check the end first.
        int n = _elements.Count;
        if (n == 0 || _elements[n - 1].Tag < tag)
        {
            return ~n;
        }

        int lo = 0, hi = n - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = _elements[mid].Tag.CompareTo(tag);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private void Insert(int index, DicomElement element)
    {
        _elements.Insert(index, element);
        Adopt(element);
        if (element.Tag == DicomTags.SpecificCharacterSet)
        {
            _characterSet = null;
        }
    }

    private void Adopt(DicomElement element)
    {
        if (element is DicomSequence s)
        {
            foreach (DicomDataset item in s.Items)
            {
                item.Parent = this;
            }
        }
    }

    private static KeyNotFoundException Missing(DicomTag tag) =>
        new($"Required element {tag} {DicomDictionary.NameOf(tag)} is missing.");

    internal static string[] SplitText(DicomElement e, DicomCharacterSet charset)
    {
        string text = charset.Decode(e.Value.Span, e.VR);
        if (!e.VR.SplitsOnBackslash)
        {
            return text.Length == 0 ? [] : [TrimValue(text, e.VR)];
        }

        if (text.Length == 0)
        {
            return [];
        }

        string[] parts = text.Split('\\');
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = TrimValue(parts[i], e.VR);
        }

        return parts;
    }

    private static string TrimValue(string value, DicomVR vr)
    {
        // Trailing padding (space, NUL) is never significant; leading spaces are insignificant except in the
        // free-text VRs (ST, LT, UT, UC per PS3.5 Table 6.2-1).
        string v = value.TrimEnd(' ', '\0');
        return vr == DicomVR.ST || vr == DicomVR.LT || vr == DicomVR.UT || vr == DicomVR.UC ? v : v.TrimStart(' ');
    }

    internal static T ReadBinary<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged => MemoryMarshal.Read<T>(bytes);

    internal static uint ReadTagValue(ReadOnlySpan<byte> bytes) =>
        ((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]);
}
