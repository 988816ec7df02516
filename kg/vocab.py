"""Closed vocabulary namespaces: a misspelt term is an error at import time, never a silent new IRI."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .prefixes import BASE, PREFIXES  # noqa: F401  (PREFIXES: plain strings, so the query path needs no rdflib)

ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")


class KG(DefinedNamespace):
    """The kg ontology (ontology/kg.ttl); tests check this list against the file both ways."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Approximately: URIRef
    Assertion: URIRef
    Briefing: URIRef
    City: URIRef
    Country: URIRef
    District: URIRef
    Drafting: URIRef
    Enterprise: URIRef
    EntityRegistry: URIRef
    Event: URIRef
    Facility: URIRef
    Figure: URIRef
    FigureStructure: URIRef
    FunctionalZone: URIRef
    Fund: URIRef
    Hospital: URIRef
    InOperation: URIRef
    Indicator: URIRef
    IndustrialPark: URIRef
    Initiative: URIRef
    Institution: URIRef
    Lake: URIRef
    Library: URIRef
    MoreThan: URIRef
    Museum: URIRef
    NaturalFeature: URIRef
    Park: URIRef
    Partnership: URIRef
    Person: URIRef
    Place: URIRef
    Plan: URIRef
    Planned: URIRef
    Platform: URIRef
    Policy: URIRef
    Programme: URIRef
    Project: URIRef
    PublicAuthority: URIRef
    Qualifier: URIRef
    QualifierScheme: URIRef
    Range: URIRef
    Region: URIRef
    ResearchInstitute: URIRef
    Section: URIRef
    Sector: URIRef
    SourceDocument: URIRef
    Status: URIRef
    StatusScheme: URIRef
    TextSpan: URIRef
    TopN: URIRef
    UnderWay: URIRef
    University: URIRef
    UrbanVillage: URIRef
    about: URIRef
    antecedent: URIRef
    asOf: URIRef
    attendee: URIRef
    componentAbout: URIRef
    componentIndicator: URIRef
    componentPeriod: URIRef
    componentQualifier: URIRef
    componentUnit: URIRef
    componentValue: URIRef
    componentYoy: URIRef
    confidence: URIRef
    counts: URIRef
    describes: URIRef
    draftRule: URIRef
    establishes: URIRef
    focusSector: URIRef
    generic: URIRef
    guidedBy: URIRef
    heading: URIRef
    inSection: URIRef
    inSector: URIRef
    indicator: URIRef
    keySector: URIRef
    launchedBy: URIRef
    linkedTo: URIRef
    locatedIn: URIRef
    managedBy: URIRef
    mentions: URIRef
    organizer: URIRef
    partOf: URIRef
    period: URIRef
    presenter: URIRef
    qualifier: URIRef
    sectionAbout: URIRef
    series: URIRef
    seriesNumber: URIRef
    session: URIRef
    statedAs: URIRef
    statedWhen: URIRef
    status: URIRef
    supports: URIRef
    theme: URIRef
    upperBound: URIRef
    yoyChangePercent: URIRef


class NIF(DefinedNamespace):
    """The NIF 2.1 core terms kg uses for character spans."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    Context: URIRef
    OffsetBasedString: URIRef
    Sentence: URIRef
    isString: URIRef
    sourceUrl: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    sentence: URIRef


class SDMX_DIMENSION(DefinedNamespace):
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
    _fail = True
    refPeriod: URIRef


class SDMX_MEASURE(DefinedNamespace):
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
    _fail = True
    obsValue: URIRef


class SDMX_ATTRIBUTE(DefinedNamespace):
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
    _fail = True
    unitMeasure: URIRef


class CPOV(DefinedNamespace):
    _NS = Namespace("http://data.europa.eu/m8g/")
    _fail = True
    PublicOrganisation: URIRef


class QUDT(DefinedNamespace):
    _NS = Namespace("http://qudt.org/schema/qudt/")
    _fail = True
    Unit: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms kg writes (rdflib's SDO predates schema:observationAbout)."""

    _NS = Namespace("https://schema.org/")
    _fail = True
    observationAbout: URIRef
    startDate: URIRef
    sameAs: URIRef


UNIT = Namespace("http://qudt.org/vocab/unit/")
WD = Namespace("http://www.wikidata.org/entity/")
