"""Records of this app in the test world: per community a campus, a course, a class and a lecturer (the
community's marked person), names carrying the community's marker."""


def extend(world) -> None:
    from . import services

    samples = {k: {} for k in ("colleges.campus", "colleges.course", "colleges.klass", "colleges.lecturer")}
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        area = world.areas[code]
        campus = services.create_campus(actor=None, kind="doorstep", name=f"老年大学 {world.marker('campus-' + code)}",
                                        area=area, capacity=40)
        course = services.create_course(actor=None, name=f"书法 {world.marker('course-' + code)}", area=area)
        lecturer = services.add_lecturer(actor=None, person=world.people[code], area=area, speciality="书法")
        klass = services.create_class(actor=None, course=course, campus=campus, term="2026秋", seats=20,
                                      name=f"书法班 {world.marker('class-' + code)}", lecturer=lecturer)
        for key, obj in (("campus", campus), ("course", course), ("klass", klass), ("lecturer", lecturer)):
            samples[f"colleges.{key}"][code] = obj
    world.samples.update(samples)
    world.details["colleges.klass"] = "colleges:klass"
    world.details["colleges.campus"] = "colleges:campus"
