"""Competency questions (issue 9): questions an analyst asks that the bundled briefing answers in its own words.

Each row is a question in words, the sentence of data/briefings/minhang-2023-09-07.txt that answers it (the
test checks that it is in the text), the SPARQL that asks it of the built graph, and the rows the text gives.
They cover people, organisations, places, figures, time, status, sections, sectors and provenance.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import BRIEFING, ROOT, WITH_SERIES, briefing_store
from kg.prefixes import compact, prologue
from kg.project import find_project
from kg.store import open_store

TEXT = " ".join((ROOT / "data" / "briefings" / f"{BRIEFING}.txt").read_text(encoding="utf-8").split())

#: (topic, question, the sentence it is traced to (parts joined by "..." or ";"), SPARQL, expected rows)
QUESTIONS: list[tuple[str, str, str, str, list[tuple[str, ...]]]] = [
    ('people', 'Who presented the briefing?',
     'Chen Yujian, Secretary of the CPC Minhang District Committee, introduced the details',
     'SELECT ?name WHERE { ?b a kg:Briefing ; kg:presenter/skos:prefLabel ?name }',
     [('Chen Yujian',)]),
    ('people', 'Who attended the briefing and answered questions?',
     'attended the press briefing and answered questions from reporters',
     'SELECT ?name WHERE { ?b a kg:Briefing ; kg:attendee/skos:prefLabel ?name } ORDER BY ?name',
     [('Chen Huawen',), ('Chen Yujian',), ('Han Yongqiang',), ('Xu Hao',)]),
    ('people', 'Which posts does Chen Huawen hold, in which bodies?',
     'Chen Huawen, Deputy Party Secretary and chief of Minhang District',
     ('SELECT ?role ?body WHERE { kgr:chen-huawen org:holds ?post . ?post org:role/skos:prefLabel ?role ; '
      'org:postIn/skos:prefLabel ?body } ORDER BY ?role'),
     [('Deputy Party Secretary', 'CPC Minhang District Committee'),
      ('District Chief', "Minhang District People's Government")]),
    ('people', 'Who directs the Development and Reform Commission?',
     'Han Yongqiang, director of Minhang District Development and Reform Commission',
     ('SELECT ?name WHERE { ?p org:holds/org:postIn kgr:minhang-development-reform-commission ; skos:prefLabel '
      '?name }'),
     [('Han Yongqiang',)]),
    ('organisations', 'Which new energy corporations are in the Hongqiao CBD?',
     ('Eminent new energy corporations such as Runergy, Trina Solar, Sungrow, and Jinko Solar have established '
      'their presence'),
     ('SELECT ?name WHERE { ?e a kg:Enterprise ; kg:inSector kgr:sector-new-energy ; kg:locatedIn '
      'kgr:hongqiao-cbd ; skos:prefLabel ?name } ORDER BY ?name'),
     [('Jinko Solar',), ('Runergy',), ('Sungrow',), ('Trina Solar',)]),
    ('organisations', 'Which biopharmaceutical companies does the text name?',
     'over 600 companies, including Innovent Bio, WEGO, Yunnan Baiyao, and CTTQ Pharma',
     ('SELECT ?name WHERE { ?e a kg:Enterprise ; kg:inSector kgr:sector-biomedicine ; skos:prefLabel ?name } '
      'ORDER BY ?name'),
     [('CTTQ Pharma',), ('Innovent Bio',), ('WEGO',), ('Yunnan Baiyao',)]),
    ('organisations', 'With whom is the MindSpore AI Framework Innovation Center established?',
     'the Shanghai MindSpore AI Framework Innovation Center in partnership with Huawei',
     ('SELECT ?name WHERE { ?p kg:establishes kgr:shanghai-mindspore-ai-framework-innovation-center ; '
      'org:hasMember/skos:prefLabel ?name } ORDER BY ?name'),
     [('Huawei',), ("Minhang District People's Government",)]),
    ('organisations', 'Which hospitals partnered on the nine medical facilities?',
     'municipal medical institutions like Zhongshan Hospital and Huashan Hospital',
     ('SELECT ?name WHERE { ?h a kg:Hospital ; skos:prefLabel ?name . '
      'kgr:medical-facilities-with-municipal-hospitals kg:launchedBy ?h } ORDER BY ?name'),
     [('Huashan Hospital',), ('Zhongshan Hospital',)]),
    ('places', 'Which named parks does the text name?',
     '193 parks, including the Pujiang Country Park and Minhang Cultural Park',
     ('SELECT ?name WHERE { ?p a kg:Park ; skos:prefLabel ?name FILTER NOT EXISTS { ?p kg:generic true } } '
      'ORDER BY ?name'),
     [('Minhang Cultural Park',), ('Pujiang Country Park',)]),
    ('places', 'Which natural features does the text name?',
     'the four islands of Chunshen Lake',
     'SELECT ?name WHERE { ?p a kg:Lake ; skos:prefLabel ?name }',
     [('Chunshen Lake',)]),
    ('places', 'Which industrial parks are linked with the Greater Neo Bay?',
     'seamlessly linked with Minhang’s key industrial parks',
     'SELECT (COUNT(?z) AS ?n) WHERE { kgr:greater-neo-bay kg:linkedTo ?z . ?z a kg:IndustrialPark }',
     [('5',)]),
    ('places', 'Which museums has Minhang created?',
     'the creation of several significant cultural facilities, including the Shanghai Style Art Museum',
     ('SELECT ?name WHERE { ?m a kg:Museum ; kg:status kg:InOperation ; kg:launchedBy '
      'kgr:minhang-district-government ; skos:prefLabel ?name } ORDER BY ?name'),
     [('Powerlong Museum',), ('Shanghai Style Art Museum',), ('Wu Yiren Art Museum',), ('Zhang Yuan Art Museum',)]),
    ('figures', 'How large is the Hongqiao CBD (Minhang Section)?',
     '48-square-kilometer Hongqiao International Central Business District (Minhang Section)',
     ('SELECT ?value ?unit WHERE { ?f schema:observationAbout kgr:hongqiao-cbd-minhang-section ; '
      'sdmx-attribute:unitMeasure ?unit ; sdmx-measure:obsValue ?value FILTER(?unit = unit:KiloM2) }'),
     [('48', 'unit:KiloM2')]),
    ('figures', 'What was the district-level fiscal revenue in H1 2023, and its growth?',
     'totaling 18.137 billion yuan, marking a substantial year-on-year growth of 24.5%',
     ('SELECT ?value ?yoy ?period WHERE { ?f kg:indicator kgr:ind-district-fiscal-revenue ; '
      'sdmx-measure:obsValue ?value ; kg:yoyChangePercent ?yoy ; sdmx-dimension:refPeriod/rdfs:label ?period }'),
     [('18137000000', '24.5', 'H1 2023')]),
    ('figures', 'How many parks has Minhang developed, counting what?',
     'we have developed a total of 193 parks',
     'SELECT ?value ?counts WHERE { ?f kg:counts ?counts ; sdmx-measure:obsValue ?value FILTER(?counts = kg:Park) }',
     [('193', 'kg:Park')]),
    ('figures', 'How many medical facilities did the hospital partnership launch?',
     'have led to the launch of nine medical facilities',
     ('SELECT ?value WHERE { ?f kg:counts kgr:medical-facilities-with-municipal-hospitals ; '
      'schema:observationAbout kgr:partnership-municipal-hospitals-medical-facilities ; sdmx-measure:obsValue '
      '?value }'),
     [('9',)]),
    ('figures', 'How many enterprises and institutions did each Hongqiao platform attract?',
     'comprising 600-plus, 155 and 52, respectively',
     ('SELECT ?name ?value WHERE { ?f kg:indicator kgr:ind-leading-enterprises-service-institutions ; '
      'schema:observationAbout/skos:prefLabel ?name ; sdmx-measure:obsValue ?value } ORDER BY ?name'),
     [('Hongqiao Import Commodity Exhibition and Trade Center', '600'),
      ('Hongqiao International Business Talent Port', '155'),
      ('Hongqiao International Central Legal District', '52')]),
    ('figures', 'How many hard-technology companies are in the Greater Neo Bay?',
     'more than 3,000 “hard technology” companies have converged within the Greater Neo Bay',
     ('SELECT ?value ?q WHERE { ?f schema:observationAbout kgr:greater-neo-bay ; kg:indicator '
      'kgr:ind-hard-technology-companies ; sdmx-measure:obsValue ?value ; kg:qualifier ?q }'),
     [('3000', 'kg:MoreThan')]),
    ('figures', 'Which figures are targets rather than results?',
     'with plans to create an additional 3-4 municipal-level exemplary high-quality school districts',
     ('SELECT ?value ?upper WHERE { ?f a kg:Figure ; kg:status kg:Planned ; sdmx-measure:obsValue ?value ; '
      'kg:upperBound ?upper }'),
     [('3', '4')]),
    ('time', 'When was the Greater Neo Bay plan unveiled, and by whom?',
     'the municipal government unveiled the Plan ... in February of this year',
     ('SELECT ?who ?begin ?end ?when WHERE { ?a rdf:subject kgr:plan-greater-neo-bay-construction ; '
      'rdf:predicate kg:launchedBy ; rdf:object/skos:prefLabel ?who ; kg:period ?p ; kg:statedWhen ?when . ?p '
      'time:hasBeginning/time:inXSDDate ?begin ; time:hasEnd/time:inXSDDate ?end }'),
     [('Shanghai Municipal Government', '2023-02-01', '2023-02-28', 'in February of this year')]),
    ('time', 'When was the meeting on education and healthcare convened?',
     'At the outset of this year, we convened a pivotal meeting',
     ('SELECT ?s ?label ?when WHERE { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate kg:organizer ; '
      'kg:period/rdfs:label ?label ; kg:statedWhen ?when }'),
     [('kgr:education-healthcare-development-meeting-2023', '2023', 'At the outset of this year')]),
    ('time', 'Since when has housing been renovated, and how much?',
     'Since 2021, we have successfully revitalized and renovated over 150,000 square meters of aging housing',
     ('SELECT ?value ?begin WHERE { ?f kg:indicator kgr:ind-aging-housing-renovated-area ; '
      'sdmx-measure:obsValue ?value ; sdmx-dimension:refPeriod/time:hasBeginning/time:inXSDDate ?begin }'),
     [('150000', '2021-01-01')]),
    ('status', 'Which key facilities of Hongqiao are planned?',
     'We will expedite the planning and construction of key facilities such as the Hongqiao Qianwan Center',
     ('SELECT ?name WHERE { ?x kg:status kg:Planned ; schema:containedInPlace kgr:minhang-northern-region ; '
      'skos:prefLabel ?name } ORDER BY ?name'),
     [('Hongqiao Future Center',), ('Hongqiao International Culture and Art Center',), ('Hongqiao Qianwan Center',)]),
    ('status', 'Which hospitals are already in operation at the New Hongqiao International Medical Center?',
     'with five high-level hospitals already in operation',
     'SELECT ?x ?status WHERE { ?x kg:partOf kgr:new-hongqiao-international-medical-center ; kg:status ?status }',
     [('kgr:new-hongqiao-high-level-hospitals', 'kg:InOperation')]),
    ('organisations', 'What did Minhang launch together with Shanghai Jiao Tong University?',
     ('joined forces with Shanghai Jiao Tong University to create ...; in partnership with Shanghai Jiao Tong '
      'University to establish the Shanghai Minhang Vocational and Technical College'),
     ('SELECT ?name WHERE { ?x kg:launchedBy kgr:shanghai-jiao-tong-university , '
      'kgr:minhang-district-government ; skos:prefLabel ?name } ORDER BY ?name'),
     [('Future energy and intelligent robotics industrial science and technology park',),
      ('Shanghai Minhang Vocational and Technical College',)]),
    ('status', "What is under way in the Greater Neo Bay's innovation ecosystem (being expedited)?",
     'are being expedited',
     ('SELECT ?name WHERE { ?a rdf:subject ?x ; rdf:predicate kg:status ; rdf:object kg:UnderWay ; '
      'prov:wasDerivedFrom/nif:anchorOf ?q . ?x skos:prefLabel ?name FILTER(CONTAINS(?q, "are being '
      'expedited")) } ORDER BY ?name'),
     [('CATL Future Energy Research Institute',),
      ('Greater Neo Bay International Intelligent Medical Innovation Center',)]),
    ('sections', 'What are the parts of the plans?',
     'Firstly, ... Secondly, ... Thirdly, ... Fourthly, ...',
     ('SELECT ?name WHERE { ?s a kg:Section ; dcterms:isPartOf ?plans ; rdfs:label ?name ; '
      'kg:heading/nif:beginIndex ?b . ?plans rdfs:label "Upcoming endeavors"@en } ORDER BY ?b'),
     [('Firstly, the core functions of the northern region',),
      ('Secondly, the harmonious development of the three southern regions',),
      ('Thirdly, industrial transformation and elevation',),
      ('Fourthly, the quality of urban functions',)]),
    ('sections', 'What is planned for the northern (Hongqiao) area?',
     'Firstly, we will foster collaborative efforts in strengthening the core functions of the northern region',
     ('SELECT DISTINCT ?name WHERE { ?sec kg:sectionAbout kgr:minhang-northern-region . ?a kg:inSection ?sec ; '
      'rdf:subject ?x ; rdf:predicate kg:status ; rdf:object kg:Planned . ?x skos:prefLabel ?name } ORDER BY '
      '?name'),
     [('Hongqiao Fulcrum',),
      ('Hongqiao Future Center',),
      ('Hongqiao International Culture and Art Center',),
      ('Hongqiao Qianwan Center',),
      ('hub for private enterprise headquarters',)]),
    ('sectors', "What are the southern regions' primary domains?",
     ('Our primary emphasis remains on pivotal domains such as biomedicine, integrated circuits, artificial '
      'intelligence, and high-end equipment'),
     'SELECT ?name WHERE { ?sec kg:sectionAbout ?south . ?south kg:keySector/skos:prefLabel ?name } ORDER BY ?name',
     [('Artificial intelligence',), ('Biomedicine',), ('High-end equipment',), ('Integrated circuits',)]),
    ('sectors', "Which are the Hongqiao CBD's key sectors?",
     ('a dedicated focus on key sectors such as biomedicine, new energy, the digital economy, and high-end '
      'professional services'),
     'SELECT ?name WHERE { kgr:hongqiao-cbd kg:keySector/skos:prefLabel ?name } ORDER BY ?name',
     [('Biomedicine',), ('Digital economy',), ('High-end professional services',), ('New energy',)]),
    ('sectors', 'In which sectors does the district build industry clusters (vital sectors)?',
     ('industry clusters in vital sectors like modern finance, cultural creativity, international commerce, and '
      'scientific and technological services'),
     'SELECT ?name WHERE { kgr:minhang-district kg:keySector/skos:prefLabel ?name } ORDER BY ?name',
     [('Cultural creativity',),
      ('Finance',),
      ('International commerce',),
      ('Scientific and technological services',)]),
    ('provenance', 'Which sentence states that Huawei is a partner?',
     ('We’ve embarked on the establishment of the Shanghai MindSpore AI Framework Innovation Center in '
      'partnership with Huawei'),
     ('SELECT ?sentence WHERE { ?a rdf:subject kgr:partnership-huawei-mindspore ; rdf:predicate org:hasMember ; '
      'rdf:object kgr:huawei ; prov:wasDerivedFrom/nif:sentence/nif:anchorOf ?sentence }'),
     [(('We’ve embarked on the establishment of the Shanghai MindSpore AI Framework Innovation Center in '
        'partnership with Huawei, and joined forces with Shanghai Jiao Tong University to create a future '
        'energy and intelligent robotics industrial science and technology park.'),)]),
    ('provenance', 'Which span names the platform that attracted 155 talent institutions?',
     'Hongqiao International Business Talent Port',
     ('SELECT ?named WHERE { ?f kg:indicator kgr:ind-leading-enterprises-service-institutions ; '
      'sdmx-measure:obsValue 155.0 ; kg:antecedent/nif:anchorOf ?named }'),
     [('Hongqiao International Business Talent Port',)]),
    ('provenance', 'In which part of the briefing is the fiscal revenue stated?',
     'In the first half of this year, Minhang’s district-level fiscal revenue achieved an impressive milestone',
     'SELECT ?section WHERE { ?f kg:indicator kgr:ind-district-fiscal-revenue ; kg:inSection/rdfs:label ?section }',
     [('Minhang today',)]),
    ('provenance', 'Which source document states the 193 parks, and as of when?',
     'we have developed a total of 193 parks',
     ('SELECT ?doc ?asOf WHERE { ?f kg:counts kg:Park ; prov:hadPrimarySource/dcterms:identifier ?doc ; '
      'kg:asOf/time:inXSDDate ?asOf }'),
     [('minhang-2023-09-07', '2023-09-07')]),
]


@pytest.fixture(scope="module")
def store(built_project: Path) -> ox.Store:
    if not WITH_SERIES:
        return open_store(find_project(built_project))
    return briefing_store(built_project, BRIEFING)


def show(term: ox.Term | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return " ".join(term.value.split())


def test_there_are_at_least_thirty_questions_on_every_topic():
    assert len(QUESTIONS) >= 30
    assert {t for t, *_ in QUESTIONS} == {"people", "organisations", "places", "figures", "time", "status",
                                          "sections", "sectors", "provenance"}


@pytest.mark.parametrize(("topic", "question", "sentence", "sparql", "expected"), QUESTIONS,
                         ids=[q for _, q, *_ in QUESTIONS])
def test_competency_question(store, topic, question, sentence, sparql, expected):
    for part in re.split(r" \.\.\. |; ", sentence.strip("()")):
        assert part.rstrip(", .") in TEXT, part
    rows = [tuple(show(t) for t in row) for row in store.query(prologue() + sparql)]
    assert rows == expected
