namespace MeTAI.Dicom.Tests;

public class DicomValueFormatTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(123456789012.0, "123456789012")]
    public void FormatDS_ShortValues_AreExact(double value, string expected) => Assert.Equal(expected, DicomValueFormat.FormatDS(value));

    [Fact]
    public void FormatDS_AnyFiniteDouble_FitsSixteenBytesAndParsesBackClosely()
    {
        var rng = new Random(7);
        double[] special = [Math.PI, -Math.E * 1e-300, 1.7976931348623157e308, double.Epsilon, -123456789.123456789, 1e16, 0.1 + 0.2, 9.999999999999999e22];
        foreach (double v in special.Concat(Enumerable.Range(0, 5000).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-320, 308)))))
        {
            string s = DicomValueFormat.FormatDS(v);
            Assert.True(s.Length <= 16, $"{v:R} → '{s}' ({s.Length} chars)");
            Assert.True(DicomValueFormat.TryParseDS(s, out double back), s);
            if (v != 0 && Math.Abs(v) > 1e-290)
            {
                // 16 characters keep at least 9 significant digits, even with a sign and a three-digit exponent.
                Assert.True(Math.Abs(back - v) <= Math.Abs(v) * 5e-9, $"{v:R} → '{s}' → {back:R}");
            }
        }
    }

    [Fact]
    public void FormatDS_NaN_Throws() => Assert.Throws<ArgumentException>(() => DicomValueFormat.FormatDS(double.NaN));

    [Fact]
    public void FormatIS_OutOfRange_Throws()
    {
        Assert.Equal("-2147483648", DicomValueFormat.FormatIS(int.MinValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomValueFormat.FormatIS(1L + int.MaxValue));
    }
}

public class DicomUidTests
{
    [Fact]
    public void Generate_GivesValidUniqueUids()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 2000; i++)
        {
            string uid = DicomUid.Generate();
            Assert.True(DicomUid.IsValid(uid), uid);
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
            Assert.True(seen.Add(uid));
        }
    }

    [Fact]
    public void FromName_IsDeterministicAndValid()
    {
        Assert.Equal(DicomUid.FromName("patient 1"), DicomUid.FromName("patient 1"));
        Assert.NotEqual(DicomUid.FromName("patient 1"), DicomUid.FromName("patient 2"));
        Assert.True(DicomUid.IsValid(DicomUid.FromName("x")));
        Assert.True(DicomUid.IsValid(DicomUid.ImplementationClassUid));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("0", true)]
    [InlineData("1.2.03", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.", false)]
    [InlineData("1.2a", false)]
    [InlineData("", false)]
    public void IsValid_FollowsPS35Section9(string uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));

    [Fact]
    public void IsValid_MoreThan64Characters_IsFalse() => Assert.False(DicomUid.IsValid("1." + new string('1', 63)));
}

public class DicomCharacterSetTests
{
    [Fact]
    public void Latin1_DecodesAndEncodesIsoIr100()
    {
        DicomCharacterSet cs = DicomCharacterSet.FromTerms(["ISO_IR 100"]);
        Assert.Same(DicomCharacterSet.Latin1, cs);
        Assert.Equal("Buc^Jérôme", cs.Decode([0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65], DicomVR.PN));
        Assert.Equal(new byte[] { 0xC4, 0xD6, 0xDC }, cs.Encode("ÄÖÜ", DicomVR.LO));
        Assert.Throws<ArgumentException>(() => cs.Encode("日本", DicomVR.LO));
    }

    [Fact]
    public void Utf8_RoundTripsIsoIr192()
    {
        DicomCharacterSet cs = DicomCharacterSet.FromTerms(["ISO_IR 192"]);
        const string text = "Wang^XiaoDong=王^小東";
        Assert.Equal(text, cs.Decode(cs.Encode(text, DicomVR.PN), DicomVR.PN));
    }

    [PydicomTheory]
    [InlineData("chrH31.dcm", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [InlineData("chrH32.dcm", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [InlineData("chrI2.dcm", "Hong^Gildong=洪^吉洞=홍^길동")]
    [InlineData("chrFren.dcm", "Buc^Jérôme")]
    [InlineData("chrX1.dcm", "Wang^XiaoDong=王^小東=")]
    public void Decode_Iso2022CodeExtensionsAndSingleSets_ReadPersonNames(string file, string expected)
    {
        DicomDataset ds = DicomFile.Open(Path.Combine(TestFiles.CharsetDir, file)).Dataset;
        Assert.Equal(expected, ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void DefaultRepertoire_RefusesNonAsciiOnWrite()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DicomDataset().AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller"));
        Assert.Contains("ISO_IR 192", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_ItemsInheritTheCharacterSetOfTheirParent()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        var item = new DicomDataset();
        ds.AddSequence(DicomTags.ReferencedImageSequence, [item]);
        item.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Łukasz");
        Assert.Equal("Łukasz", item.GetString(DicomTags.PatientName));
        Assert.Equal("ISO_IR 192", item.CharacterSet.Term);
    }

    [Fact]
    public void GetValues_BinaryAndNumericText_ConvertToTheRequestedType()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, 512);
        ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.75);
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 12);
        Assert.Equal((ushort)512, ds.GetSingleValue<ushort>(DicomTags.Rows));
        Assert.Equal(512, ds.GetSingleValue<int>(DicomTags.Rows));
        Assert.Equal([0.5, 0.75], ds.GetValues<double>(DicomTags.PixelSpacing));
        Assert.Equal(12L, ds.GetSingleValue<long>(DicomTags.InstanceNumber));
        Assert.Throws<DicomFormatException>(() => ds.GetSingleValue<short>(DicomTags.PixelSpacing));
        Assert.Equal("0.5\\0.75", ds.GetString(DicomTags.PixelSpacing));
        Assert.Equal(0.75f, ds.GetValues<float>(DicomTags.PixelSpacing)[1]);
    }
}
